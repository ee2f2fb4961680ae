// No request may stall the bridge's event loop, whatever its text (issue 8, item 1). Each
// adversarial input goes through the bridge as a streamed request with include_usage (the path
// that counts tokens), over real sockets, with the official SDK; meanwhile the event loop's delay
// is sampled and another client polls /bridge/health. The bridge runs in this process, so the
// monitor sees its stalls directly.
//
// Bound: the requirement is 50 ms; on this shared 2-core machine a neighbour's build or test run
// can hold a process off the CPU for 100 ms and more on its own, so the test asserts
// STALL_BOUND_MS, which a fixed bridge stays well under (about 10-40 ms on a quiet machine) and
// the old synchronous counter broke by far (60,000 CJK characters: 8-14 s; 20,000 emoji or
// Cyrillic letters: 2.5-7 s; 10,000 turns: 0.2-1 s). The benchmark reports the measured worst
// delay against the 50 ms target.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { adversarialInputs } from '../support/adversarial-texts.js';
import { type Stack, startStack } from './harness.js';

const STALL_BOUND_MS = 250;

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
  });
  after(() => stack.close());

  for (const input of adversarialInputs()) {
    it(`${input.what}: no stall over ${STALL_BOUND_MS} ms, usage still counted`, async () => {
      const monitor = monitorEventLoopDelay({ resolution: 5 });
      let finished = false;
      monitor.enable();
      const poller = pollWhile(`${stack.bridge.origin}/bridge/health`, () => finished);
      let usage: { prompt_tokens: number } | undefined;
      try {
        const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
          model: 'x',
          messages: input.messages,
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
        // Let the monitor's timer fire once more: a stall at the very end is recorded late.
        await new Promise((r) => setTimeout(r, 30));
      } finally {
        finished = true;
        monitor.disable();
      }
      const health = await poller;
      const worstMs = monitor.max / 1e6;
      assert.ok(usage, 'a usage chunk arrived');
      const chars = input.messages.reduce((n, m) => n + m.content.length, 0);
      assert.ok(usage.prompt_tokens >= chars / 8, `plausible prompt_tokens ${usage.prompt_tokens}`);
      assert.deepEqual(health.failures, [], 'every concurrent health check answered');
      assert.ok(
        worstMs < STALL_BOUND_MS,
        `worst event-loop delay ${worstMs.toFixed(1)} ms (bound ${STALL_BOUND_MS} ms)`,
      );
      assert.ok(
        health.slowestMs < STALL_BOUND_MS,
        `slowest concurrent health check ${health.slowestMs.toFixed(1)} ms over ${health.polls} polls`,
      );
    });
  }
});
