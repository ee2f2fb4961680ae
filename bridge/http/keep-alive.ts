// Keep-alive for an SSE answer (chat completions and Responses alike). Until the upstream
// answers, the HTTP status is still open (so a fast upstream error keeps its status); once the
// client has seen nothing for a whole ping interval, commit 200 and ping. The timer is re-armed
// by every write, so silence never lasts two intervals. In native mode the session is known
// before the answer starts, and a stream committed early by a ping must carry its
// x-customgpt-session-id header: while the conversation is still being opened, a due ping waits
// for it and goes out the moment the session is known.
import type { ServerResponse } from 'node:http';
import { PING_FRAME } from '../chat/completion';
import { SSE_HEADERS } from '../chat/respond';
import type { Logger } from '../log';
import { SESSION_HEADER } from '../protocol';
import { drained } from './drained';

export interface KeepAliveDeps {
  pingIntervalMs: number;
  /** Native mode: every answer has a session, and the headers wait for it. */
  backend: { readonly opensSessions?: boolean };
  log: Logger;
}

export class KeepAlive {
  private session: string | null = null;
  private pingDue = false;
  private readonly timer: NodeJS.Timeout;

  private readonly waitsForSession: boolean;
  private readonly log: Logger;

  constructor(
    private readonly res: ServerResponse,
    /** The request's signal: aborted when the client went away. */
    private readonly signal: AbortSignal,
    deps: KeepAliveDeps,
  ) {
    this.waitsForSession = deps.backend.opensSessions === true;
    this.log = deps.log;
    this.timer = setTimeout(() => this.ping(), deps.pingIntervalMs);
  }

  /** The upstream session is known (called from the backend's onSession). */
  sessionKnown(id: string | null): void {
    if (id !== null) this.session = id;
    if (this.pingDue) this.ping();
  }

  /** Sends the 200 and SSE headers (with the session, when known) unless already sent. */
  commit(): void {
    const { res } = this;
    if (res.headersSent) return;
    // No flushHeaders(): a frame is always written right after, and goes out with the headers.
    const session = this.session;
    res.writeHead(200, session ? { ...SSE_HEADERS, [SESSION_HEADER]: session } : SSE_HEADERS);
  }

  /** Writes frames (the stream must be committed); the next ping is one whole interval away. */
  async write(frame: string): Promise<void> {
    // The client may have left while the model or the citations were looked up.
    if (this.signal.aborted) throw this.signal.reason;
    this.timer.refresh();
    if (!this.res.write(frame)) await drained(this.res);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private ping(): void {
    const { res } = this;
    if (res.destroyed || res.writableEnded) return;
    if (!res.headersSent && this.waitsForSession && this.session === null) {
      this.pingDue = true;
      return;
    }
    this.pingDue = false;
    try {
      this.commit();
      res.write(PING_FRAME);
      this.timer.refresh();
    } catch (err) {
      // A throw inside a timer would take the whole process down: end this stream instead.
      this.log.error('keep-alive failed', { err });
      res.destroy();
    }
  }
}
