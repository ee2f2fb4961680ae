// One answer from the bridge for the Chat view (participant and language model alike): native
// mode through the extension's chat client, in the chosen project, continuing a session when
// one is named. A session CustomGPT.ai no longer has (deleted, expired) is not an error for the
// person: the question is asked again in a new conversation, with the history folded in.
import type { Citation } from '../chatChunk';
import { type ChatMessage, type ChatOutcome, streamChat } from '../chatClient';

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
  const run = (session: string | undefined) =>
    streamChat(
      {
        baseUrl: request.baseUrl,
        token: request.token,
        messages: request.messages,
        sessionId: session,
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
      },
    );
  let outcome = await run(request.sessionId);
  if (
    request.sessionId &&
    outcome.kind === 'error' &&
    outcome.code === 'session_not_found' &&
    outcome.text === ''
  ) {
    sessionId = undefined;
    outcome = await run(undefined);
  }
  return { outcome, sessionId, promptId, citations };
}
