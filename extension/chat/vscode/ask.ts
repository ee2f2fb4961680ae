// One answer from the bridge for the Chat view (participant and language model alike): native
// mode through the extension's chat client, in the chosen project, continuing a session when
// one is named. A session CustomGPT.ai no longer has (deleted, expired) is not an error for the
// person: the question is asked again in a new conversation, with the history folded in.
import type { Citation } from '../chatChunk';
import { type ChatMessage, type ChatOutcome, streamChatRecovering } from '../chatClient';

export interface AskRequest {
  baseUrl: string;
  token: string;
  project: string;
  messages: ChatMessage[];
  sessionId?: string | undefined;
  signal: AbortSignal;
}

export interface Answered {
  outcome: ChatOutcome;
  sessionId: string | undefined;
  promptId: number | undefined;
  citations: Citation[];
}

export async function askBridge(
  request: AskRequest,
  onDelta: (text: string) => void,
): Promise<Answered> {
  let sessionId: string | undefined;
  let promptId: number | undefined;
  let citations: Citation[] = [];
  // A conversation gone upstream (404 session_not_found) is asked again in a new one: the one
  // recovery the extension's chat clients share (chatClient.ts).
  const outcome = await streamChatRecovering(
    {
      baseUrl: request.baseUrl,
      token: request.token,
      messages: request.messages,
      sessionId: request.sessionId,
      project: request.project,
      signal: request.signal,
    },
    {
      onDelta,
      onCitations: (list) => {
        citations = list;
      },
      onSessionId: (id) => {
        sessionId = id;
      },
      onPromptId: (id) => {
        promptId = id;
      },
      onSessionLost: () => {
        sessionId = undefined;
      },
    },
  );
  return { outcome, sessionId, promptId, citations };
}
