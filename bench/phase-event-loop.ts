// The worst event-loop stall of the bridge under adversarial usage inputs (issue 8, item 1):
// each input of test/support/adversarial-texts.ts goes to a freshly started bridge (native and
// compat) as a streamed request with include_usage, while this process polls the bridge's
// /bridge/health back to back. The slowest poll answer is the figure: the longest time the bridge
// could not answer anyone, an upper bound of its event-loop delay (plus a loopback round trip).
// A fresh bridge per mode means the first input also pays the tokenizer's first load.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { adversarialInputs } from '../test/support/adversarial-texts';
import type { Target } from './loadgen/protocol';
import type { AdversarialFigures, Measurements } from './measurements';
import { startStack } from './stack';

const MODES = ['native', 'compat'] as const;

export async function measureEventLoop(
  m: Measurements,
  log: (s: string) => void,
  /** Another build of the bridge (e.g. an older one, for a before/after comparison). */
  bridgeScript?: string,
): Promise<void> {
  // Bodies are serialized up front: a megabyte of JSON.stringify in this process during the
  // measurement would delay the polls and be blamed on the bridge.
  const inputs = adversarialInputs().map((input) => ({
    name: input.name,
    body: JSON.stringify({
      model: 'gpt-4o',
      messages: input.messages,
      stream: true,
      stream_options: { include_usage: true },
    }),
  }));
  const stack = await startStack({ chunkDelayMs: 0, chunkSize: 64, targets: MODES, bridgeScript });
  try {
    for (const mode of MODES) {
      const target = stack.targets.find((t) => t.name === mode);
      if (!target) continue;
      await warmUp(target);
      const figures: Record<string, AdversarialFigures> = {};
      for (const input of inputs) {
        figures[input.name] = await driveOne(target, input.body);
        const f = figures[input.name]!;
        log(
          `event loop ${mode} ${input.name}: slowest concurrent health check ${f.stallMs.toFixed(1)} ms ` +
            `(${f.polls} polls), request ${f.requestMs.toFixed(0)} ms${f.error ? `, ${f.error}` : ''}`,
        );
      }
      m.adversarial[mode] = figures;
    }
  } finally {
    await stack.stop();
  }
}

/**
 * One ordinary request and a few polls first, so that neither this process's HTTP client nor the
 * bridge's first-request set-up is counted as a stall; the tokenizer's first load still is.
 */
async function warmUp(target: Target): Promise<void> {
  const res = await fetch(`${target.origin}${target.path}`, {
    method: 'POST',
    headers: { ...target.headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    }),
  });
  await res.text();
  for (let i = 0; i < 5; i++) await (await fetch(`${target.origin}/bridge/health`)).arrayBuffer();
}

/** Sends one body while polling /bridge/health; the slowest poll is the stall. */
async function driveOne(target: Target, body: string): Promise<AdversarialFigures> {
  let done = false;
  const polling = (async () => {
    let slowest = 0;
    let polls = 0;
    let failed = 0;
    while (!done) {
      const started = performance.now();
      try {
        const res = await fetch(`${target.origin}/bridge/health`);
        await res.arrayBuffer();
        if (!res.ok) failed++;
      } catch {
        failed++;
      }
      slowest = Math.max(slowest, performance.now() - started);
      polls++;
      await sleep(2);
    }
    return { slowest, polls, failed };
  })();
  const started = performance.now();
  let error: string | undefined;
  try {
    const res = await fetch(`${target.origin}${target.path}`, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    if (res.status !== 200) error = `status ${res.status}`;
    else if (!text.includes('"usage":{')) error = 'no usage chunk';
    else if (!text.includes('data: [DONE]')) error = 'no [DONE]';
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const requestMs = performance.now() - started;
  // One more poll after the answer: a stall at the very end shows in it.
  await sleep(20);
  done = true;
  const { slowest, polls, failed } = await polling;
  if (failed > 0) error = `${error ? `${error}; ` : ''}${failed} health checks failed`;
  return { stallMs: slowest, requestMs, polls, ...(error ? { error } : {}) };
}

/** The worst stall over every input, for one bridge mode. */
export function worstStall(figures: Record<string, AdversarialFigures> | undefined) {
  if (!figures) return undefined;
  const stalls = Object.values(figures).map((f) => f.stallMs);
  return stalls.length > 0 ? Math.max(...stalls) : undefined;
}
