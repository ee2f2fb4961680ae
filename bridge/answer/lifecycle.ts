// The life of one answer request, the same for every OpenAI surface (chat completions,
// Responses): refused before it starts (recorded too), or accepted -> activity start, aborted
// when the client goes away or shutdown's grace period ends, errors kept as their HTTP status
// before the stream commits and framed by the surface after, activity end with the outcome.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActivityHub, EndDetail } from '../activity';
import { sendError } from '../chat/respond';
import { asBridgeError, BridgeError } from '../http/openai-error';
import type { Logger } from '../log';

export interface LifecycleDeps {
  activity: ActivityHub;
  log: Logger;
  redact: (text: string) => string;
  /** Aborted when shutdown's grace period ends: open requests end with an error, not a cut. */
  shutdown: AbortSignal;
}

/** Why a request still open at the end of the shutdown grace period was ended. */
export const STOPPING = new BridgeError(
  503,
  'The bridge is shutting down and could not finish this answer in time. Retry in a moment.',
  'server_error',
  'bridge_stopping',
);

/** The client's product token from its User-Agent ("OpenAI/JS 7.59.0"), for the activity log. */
export function clientName(req: IncomingMessage): string {
  const ua = req.headers['user-agent'];
  if (!ua) return 'unknown';
  return ua.split(' (')[0]!.slice(0, 60);
}

const warnedClients = new Set<string>();

/** Logs dropped parameters (--on-unsupported ignore) once per client, not once per request. */
export function warnDropped(log: Logger, client: string, dropped: readonly string[]): void {
  if (dropped.length === 0 || warnedClients.has(client)) return;
  if (warnedClients.size >= 256) warnedClients.clear(); // bounded: one entry per User-Agent
  warnedClients.add(client);
  log.warn('dropping unsupported parameters (--on-unsupported ignore)', { client, dropped });
}

/**
 * A request refused before it started (validation, 501): answered with its error and recorded,
 * so a tool that always sends `tools` does not fail silently in the editor.
 */
export function refuse(
  deps: LifecycleDeps,
  res: ServerResponse,
  client: string,
  started: number,
  err: unknown,
): void {
  const e = asBridgeError(err);
  sendError(res, e, deps.redact);
  deps.activity.rejected(client, e.status, Date.now() - started, deps.redact(e.message), e);
}

export interface AnswerRun {
  client: string;
  stream: boolean;
  started: number;
  /** Answers; the number of characters the client received. */
  run(signal: AbortSignal): Promise<number>;
  /** An error in the surface's terms (e.g. session_not_found -> previous_response_not_found). */
  mapError?(err: BridgeError): BridgeError;
  /** A failure after the stream committed: end it in the surface's own framing. */
  endStream(err: BridgeError, message: string): void;
}

export async function runAnswer(
  deps: LifecycleDeps,
  res: ServerResponse,
  answer: AnswerRun,
): Promise<void> {
  const { client, stream, started } = answer;
  const id = deps.activity.start(client, stream);
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort(new Error('client went away'));
  };
  res.on('close', onClose);
  const onShutdown = () => abort.abort(STOPPING);
  deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  let status = 200;
  let chars = 0;
  let error: string | undefined;
  let detail: EndDetail = {};
  try {
    chars = await answer.run(abort.signal);
  } catch (err) {
    if (abort.signal.aborted && abort.signal.reason !== STOPPING) {
      status = 499; // nginx's "client closed request", for the activity log only
    } else {
      const raw = abort.signal.aborted ? STOPPING : asBridgeError(err);
      const e = answer.mapError ? answer.mapError(raw) : raw;
      status = e.status;
      error = deps.redact(e.message);
      detail = e;
      if (e.status >= 500) deps.log.warn('answer request failed', { status, error, client });
      if (!res.headersSent) sendError(res, e, deps.redact);
      else if (!res.destroyed && !res.writableEnded) answer.endStream(e, error);
    }
  } finally {
    res.off('close', onClose);
    deps.shutdown.removeEventListener('abort', onShutdown);
    deps.activity.end(id, client, stream, status, Date.now() - started, chars, error, detail);
  }
}
