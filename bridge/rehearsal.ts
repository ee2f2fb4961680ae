// The start-up rehearsal: one streamed question through a throwaway bridge in demo mode (the
// built-in simulator, on loopback, with its own key and token), so that the code a question runs
// is compiled before the user's first one. V8 compiles a function the first time it is called,
// so without it the first real question paid for compiling the whole request path: measured
// 15-35 ms more than the next question on a 2-core machine (bench/fresh-probe.ts; README,
// "Spare conversations and start-up warm-up"). The throwaway bridge runs the same modules as
// the real one (the HTTP server, guard, chat handler, the configured upstream mode's backend,
// undici, the SSE reader and writer, citations), so everything it compiles is shared. It never reaches CustomGPT.ai, never
// sees the key, and is closed when the answer ends; `--no-rehearsal` turns it off. Then one
// regular full collection frees what the rehearsal allocated. The "last resort" flavour would
// give about 3 MB more back at once (RSS 15 s after start 66.7-67.1 vs 68.5-70.3 MB), but it is
// several collections in a row: the event loop stopped 27-44 ms instead of 15-24 right after
// the ready line, and such collections drop compiled code, the very thing the rehearsal made.
// The difference is gone about 110 s after start anyway (README, "Memory").
import { request } from 'node:http';
import type { RunningBridge, startBridge } from './app';
import type { BridgeOptions } from './config';
import { collectGarbage } from './idle-gc';

/** Long enough for a slow machine; a rehearsal that takes longer is abandoned, not waited on. */
const REHEARSAL_TIMEOUT_MS = 10_000;

const REHEARSAL_QUESTION = 'How do I install Acme Rocket?';

/**
 * Starts a demo bridge like `like` (mode, citation style, unsupported policy), asks it one
 * streamed question, reads the answer to its end and closes it. Resolves with the time taken;
 * rejects if any of it failed (the caller logs it: the real bridge is not affected).
 */
export async function rehearseFirstQuestion(
  start: typeof startBridge,
  like: BridgeOptions,
): Promise<number> {
  const started = performance.now();
  const stage = await start({
    demo: true,
    port: 0,
    host: like.host,
    upstreamMode: like.upstreamMode,
    citations: like.citations,
    onUnsupported: like.onUnsupported,
    log: 'silent',
  });
  try {
    await stage.warmedUp;
    await askStreamed(stage);
  } finally {
    await stage.close(0);
  }
  collectGarbage({ type: 'major', execution: 'sync', flavor: 'regular' });
  return performance.now() - started;
}

/** POSTs one streamed chat completion and consumes it; rejects on a non-200 answer. */
function askStreamed(stage: RunningBridge): Promise<void> {
  const body = JSON.stringify({
    model: 'customgpt',
    stream: true,
    messages: [{ role: 'user', content: REHEARSAL_QUESTION }],
  });
  return new Promise<void>((resolve, reject) => {
    const req = request(
      `${stage.url}/chat/completions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${stage.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        signal: AbortSignal.timeout(REHEARSAL_TIMEOUT_MS),
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`rehearsal answered HTTP ${res.statusCode}`));
          return;
        }
        res.on('error', reject);
        res.on('end', resolve);
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
