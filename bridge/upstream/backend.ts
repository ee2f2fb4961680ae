// What the chat handler needs from an upstream mode: open one answer as a stream of events.
import type { ChatTurn } from '../chat/request';
import type { UpstreamEvent } from './events';

export interface AnswerRequest {
  project: string;
  turns: ChatTurn[];
  /** An upstream session the client picked with `x-customgpt-session-id`. */
  sessionId?: string;
  signal: AbortSignal;
  /** The client asked for a stream; otherwise the upstream is asked for one JSON answer. */
  stream: boolean;
  /** Told the upstream session as soon as it is known, before the answer starts. */
  onSession?: (sessionId: string) => void;
}

export interface AnswerStream {
  /** The upstream conversation this answer belongs to (native mode), for the response header. */
  sessionId: string | null;
  events: AsyncIterable<UpstreamEvent> | Iterable<UpstreamEvent>;
  /** Called once with the assistant content exactly as the client received it. */
  answered(content: string): void;
}

export interface Backend {
  /**
   * Every answer belongs to an upstream session that is known before the answer starts (native
   * mode): a stream's headers wait for it, so that they can name it.
   */
  readonly opensSessions?: boolean;
  open(req: AnswerRequest): Promise<AnswerStream>;
}
