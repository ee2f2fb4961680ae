// Streams one chat answer from the bridge (POST {base}/chat/completions, stream: true) with
// fetch, from the extension host. The webview never talks to the bridge: it has no token.

import { SESSION_HEADER } from '../../bridge/protocol';
import { readSseData } from '../../shared/sse';
import { BRIDGE_UNREACHABLE, EMPTY_ANSWER } from '../core/errorWords';
import { CHAT_USER_AGENT } from '../status/clientLabel';
import { type Citation, errorCodeOf, errorMessageOf, interpretChunk } from './chatChunk';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export { SESSION_HEADER };

export interface ChatRequest {
  /** OpenAI base URL of the bridge, e.g. http://127.0.0.1:8765/v1 */
  baseUrl: string;
  token: string;
  messages: ChatMessage[];
  /** Continues the upstream conversation the bridge created for an earlier turn. */
  sessionId?: string | undefined;
  /** Answer from this project (CustomGPT.ai's path form) instead of the bridge's own. */
  project?: string | undefined;
  signal: AbortSignal;
}

export interface ChatHandlers {
  onDelta(text: string): void;
  onCitations(citations: Citation[]): void;
  onSessionId(sessionId: string): void;
  /** The upstream message id of the answer (for feedback), from the final chunk. */
  onPromptId?(promptId: number): void;
}

export type ChatOutcome =
  | { kind: 'done'; text: string }
  | { kind: 'aborted'; text: string }
  | {
      kind: 'error';
      message: string;
      text: string;
      status?: number;
      code?: string;
      /** The response's Retry-After (a 429), as sent. */
      retryAfter?: string;
    };

/** The conversation the session id names is gone upstream (deleted, or another project now). */
export type SessionLost = { kind: 'session-lost'; message: string; text: string };

export const EMPTY_ANSWER_MESSAGE = 'The bridge returned an empty answer.';
/** The bridge's error code for a session id that upstream no longer knows. */
export const SESSION_NOT_FOUND = 'session_not_found';
/** The one line the panel shows before asking again in a new conversation. */
export const SESSION_LOST_NOTE =
  'The previous conversation is no longer available (another project, or deleted): asking again in a new one.';

async function errorFromResponse(
  response: Response,
): Promise<{ message: string; status: number; code?: string; retryAfter?: string }> {
  const raw = await response.text().catch(() => '');
  const failure: { message: string; status: number; code?: string; retryAfter?: string } = {
    message: `The bridge answered ${response.status} ${response.statusText}`.trim(),
    status: response.status,
  };
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) failure.retryAfter = retryAfter;
  try {
    const body: unknown = JSON.parse(raw);
    const message = errorMessageOf(body);
    const code = errorCodeOf(body);
    if (message) failure.message = message;
    if (code !== undefined) failure.code = code;
  } catch {
    // Not JSON: keep the status line.
  }
  return failure;
}

/**
 * One question, and when the session it continues is gone upstream (404 session_not_found:
 * the bridge now serves another project, or the conversation was deleted), the same question
 * again without the session: the bridge starts a new conversation from the whole history.
 * `onSessionLost` runs between the two (the caller drops the id and says so).
 */
export async function streamChatRecovering(
  request: ChatRequest,
  handlers: ChatHandlers & { onSessionLost(): void },
): Promise<ChatOutcome> {
  const first = await streamChat(request, handlers);
  if (first.kind !== 'session-lost') return first;
  handlers.onSessionLost();
  const second = await streamChat({ ...request, sessionId: undefined }, handlers);
  return second.kind === 'session-lost' ? { ...second, kind: 'error' } : second;
}

/** POST target: the bridge's own chat path, or CustomGPT.ai's path form naming a project. */
export function chatUrl(baseUrl: string, project?: string): string {
  if (!project) return `${baseUrl}/chat/completions`;
  const origin = baseUrl.replace(/\/v1\/?$/, '');
  return `${origin}/api/v1/projects/${encodeURIComponent(project)}/chat/completions`;
}

export async function streamChat(
  request: ChatRequest,
  handlers: ChatHandlers,
): Promise<ChatOutcome | SessionLost> {
  let text = '';
  const headers: Record<string, string> = {
    authorization: `Bearer ${request.token}`,
    'content-type': 'application/json',
    accept: 'text/event-stream',
    // Named in the bridge's activity log and the status bar tooltip as "CustomGPT chat".
    'user-agent': CHAT_USER_AGENT,
  };
  if (request.sessionId) headers[SESSION_HEADER] = request.sessionId;
  try {
    const response = await fetch(chatUrl(request.baseUrl, request.project), {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'customgpt', messages: request.messages, stream: true }),
      signal: request.signal,
    });
    const sessionId = response.headers.get(SESSION_HEADER);
    if (sessionId) handlers.onSessionId(sessionId);
    if (!response.ok || !response.body) {
      const failure = await errorFromResponse(response);
      if (response.status === 404 && failure.code === SESSION_NOT_FOUND && request.sessionId) {
        return { kind: 'session-lost', message: failure.message, text };
      }
      return { kind: 'error', ...failure, text };
    }
    for await (const data of readSseData(response.body)) {
      const meaning = interpretChunk(data);
      if (meaning.error !== undefined) {
        // Leaving the loop cancels the response body.
        const failed: ChatOutcome = { kind: 'error', message: meaning.error, text };
        if (meaning.errorCode !== undefined) failed.code = meaning.errorCode;
        return failed;
      }
      if (meaning.promptId !== undefined) handlers.onPromptId?.(meaning.promptId);
      if (meaning.delta) {
        text += meaning.delta;
        handlers.onDelta(meaning.delta);
      }
      if (meaning.citations && meaning.citations.length > 0) {
        handlers.onCitations(meaning.citations);
      }
    }
    if (!text.trim())
      return { kind: 'error', message: EMPTY_ANSWER_MESSAGE, text, code: EMPTY_ANSWER };
    return { kind: 'done', text };
  } catch (error) {
    if (request.signal.aborted) return { kind: 'aborted', text };
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'error',
      message: `Could not reach the bridge: ${reason}`,
      text,
      code: BRIDGE_UNREACHABLE,
    };
  }
}
