// No request may stall the bridge's event loop, whatever its text (issue 8, item 1). Each
// adversarial input goes through the bridge as a streamed request with include_usage (the path
// that counts tokens), over real sockets, with the official SDK; meanwhile a timer samples the
// event loop and another client polls /bridge/health. The bridge runs in this process, so the
// sampler sees its stalls directly.
//
// What is asserted: the requirement is 50 ms, but on this shared 2-core machine a neighbour's
// build can keep a process off the CPU for 100-400 ms, which no code can prevent. So each gap
// between two ticks of the sampler is charged only the CPU time the process used during it
// (process.cpuUsage): a gap spent waiting for a CPU costs nothing, one spent computing (a
// stall) costs its length. The worst such gap must stay under CPU_STALL_BOUND_MS: a fixed
// bridge stays around 10-30 ms, the old synchronous counter broke it by far (60,000 CJK
// characters: 8-14 s; 20,000 emoji or Cyrillic letters: 2.5-7 s; 10,000 turns: 0.2-1 s).
// The benchmark reports the wall-clock figure against the 50 ms target.
import assert from 'node:assert/strict';
import { collectGarbage } from '../../bridge/idle-gc.js';
import { adversarialInputs } from '../support/adversarial-texts.js';
import { type Stack, startStack } from './harness.js';

const CPU_STALL_BOUND_MS = 100;
/** Wall-clock bound for a concurrent health check: loose, preemption included. */
const HEALTH_BOUND_MS = 1000;

/**
 * A full collection of this test process's heap, which holds every test file mocha loaded (the
 * bridge alone idles at a few MB): run before each input, so the measured window does not
 * inherit a major collection of the whole test run's garbage (seen in `npm test`: 123 ms).
 */
function collectTestProcessGarbage(): void {
  collectGarbage({ type: 'major', execution: 'sync' });
}

/** Samples the event loop every few ms until stopped; see the file comment. */
function sampleEventLoop() {
  let worstWallMs = 0;
  let worstStallMs = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const wall = now - last;
    worstWallMs = Math.max(worstWallMs, wall);
    worstStallMs = Math.max(worstStallMs, Math.min(wall, (cpu.user + cpu.system) / 1000));
    last = now;
    lastCpu = process.cpuUsage();
  }, 2);
  return {
    stop() {
      clearInterval(timer);
      return { worstWallMs, worstStallMs };
    },
  };
}

/** Polls `url` back to back until `done`; returns the slowest answer and any failure. */
async function pollWhile(url: string, done: () => boolean) {
  let slowestMs = 0;
  let polls = 0;
  const failures: string[] = [];
  while (!done()) {
    const started = performance.now();
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (!res.ok) failures.push(`status ${res.status}`);
    } catch (err) {
      failures.push(String(err));
    }
    slowestMs = Math.max(slowestMs, performance.now() - started);
    polls++;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { slowestMs, polls, failures };
}

describe('the event loop under adversarial usage inputs', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => {
    stack = await startStack({ sim: { chunkDelayMs: 0, chunkSize: 64 } });
    // One small usage request first. Run from source, the bridge loads its tokenizer through
    // tsx (a synchronous transpile) and the encoding from js-tiktoken's JavaScript module: a
    // test artefact, not what dist/bridge.js does (a 4 KB module, the encoding read as data,
    // in slices: the benchmark's fresh bridges measure that first load).
    const warm = await stack.client({ maxRetries: 0 }).chat.completions.create({
      model: 'x',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of warm);
  });
  after(() => stack.close());

  for (const input of adversarialInputs()) {
    it(`${input.what}: no stall over ${CPU_STALL_BOUND_MS} ms, usage still counted`, async () => {
      collectTestProcessGarbage();
      const sampler = sampleEventLoop();
      let finished = false;
      const poller = pollWhile(`${stack.bridge.origin}/bridge/health`, () => finished);
      let usage: { prompt_tokens: number } | undefined;
      let loop: { worstWallMs: number; worstStallMs: number };
      try {
        const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
          model: 'x',
          messages: input.messages,
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
        // Let the sampler tick once more: a stall at the very end is seen by the next tick.
        await new Promise((r) => setTimeout(r, 30));
      } finally {
        finished = true;
        loop = sampler.stop();
      }
      const health = await poller;
      assert.ok(usage, 'a usage chunk arrived');
      const chars = input.messages.reduce((n, m) => n + m.content.length, 0);
      assert.ok(usage.prompt_tokens >= chars / 8, `plausible prompt_tokens ${usage.prompt_tokens}`);
      assert.deepEqual(health.failures, [], 'every concurrent health check answered');
      assert.ok(
        loop.worstStallMs < CPU_STALL_BOUND_MS,
        `worst event-loop stall ${loop.worstStallMs.toFixed(1)} ms of CPU ` +
          `(worst gap ${loop.worstWallMs.toFixed(1)} ms of wall clock)`,
      );
      assert.ok(
        health.slowestMs < HEALTH_BOUND_MS,
        `slowest concurrent health check ${health.slowestMs.toFixed(1)} ms over ${health.polls} polls`,
      );
    });
  }
});
