// Progress notifications while the upstream answers, for a client that asked for them (a
// `progressToken` in the request's _meta). A heartbeat every few seconds says the project is
// still thinking; each streamed piece of the answer moves the count on (throttled). The
// `progress` value only ever grows, as the MCP spec requires.
import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';

export interface ProgressSink {
  /** Reports a step now (if a client listens), e.g. "Asking project 1001". */
  step(message: string): void;
  /** Counts received answer characters; reports at most once per `throttleMs`. */
  chars(n: number): void;
  stop(): void;
}

export interface ProgressOptions {
  token: string | number | undefined;
  send(n: ServerNotification): Promise<void>;
  heartbeatMs?: number;
  throttleMs?: number;
  now?: () => number;
}

const NONE: ProgressSink = { step() {}, chars() {}, stop() {} };

export function progressReporter(opts: ProgressOptions): ProgressSink {
  const { token } = opts;
  if (token === undefined) return NONE;
  const now = opts.now ?? Date.now;
  const throttleMs = opts.throttleMs ?? 500;
  let progress = 0;
  let received = 0;
  let lastSent = 0;
  let stopped = false;
  const report = (message: string) => {
    if (stopped) return;
    progress++;
    lastSent = now();
    opts
      .send({
        method: 'notifications/progress',
        params: { progressToken: token, progress, message },
      })
      .catch(
        () => undefined, // the client left; the call's own signal handles that
      );
  };
  const heartbeat = setInterval(
    () => report(received === 0 ? 'Waiting for CustomGPT.ai to answer' : answering(received)),
    opts.heartbeatMs ?? 5_000,
  );
  heartbeat.unref();
  return {
    step: report,
    chars(n) {
      received += n;
      if (now() - lastSent >= throttleMs) report(answering(received));
    },
    stop() {
      stopped = true;
      clearInterval(heartbeat);
    },
  };
}

function answering(chars: number): string {
  return `CustomGPT.ai is answering (${chars} characters so far)`;
}
