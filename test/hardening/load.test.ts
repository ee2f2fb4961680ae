// Load on loopback: 500 concurrent streaming clients all get their whole answer, and past
// maxConcurrent the bridge answers 429 with retry-after instead of collapsing.
// Guards: bridge/upstream/client.ts (an undici Pool with unlimited connections, so streams
// never queue behind each other); bridge/server.ts route()'s `inFlight >= deps.maxConcurrent`
// check (429 bridge_overloaded with retry-after).
import assert from 'node:assert/strict';
import { answerFor } from '../../bridge/simulator/index';
import { chatBody, postChat, USER_PROMPT } from './support/http';
import { sleep } from './support/socket';
import { assertHealthy, note, type Stack, startStack, waitFor } from './support/stack';
import { classify } from './support/wellformed';

describe('hardening: load', function () {
  this.timeout(90_000);

  it('500 concurrent streaming clients: all complete, zero errors', async () => {
    // ~45 events 100 ms apart: each stream lasts ~5 s, so the 500 really overlap.
    const s = await startStack({ sim: { chunkDelayMs: 100 } });
    try {
      const CLIENTS = 500;
      let peak = 0;
      let peakInBridge = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, s.sim.openStreams());
        peakInBridge = Math.max(peakInBridge, s.bridge.activeStreams());
      }, 5);
      const results = await Promise.allSettled(
        Array.from({ length: CLIENTS }, (_, i) =>
          postChat(s.bridge.port, s.bridge.token, chatBody(true, `${USER_PROMPT} (client ${i})`)),
        ),
      );
      clearInterval(sampler);
      const expected = answerFor(USER_PROMPT).text;
      const failures: string[] = [];
      for (const r of results) {
        if (r.status === 'rejected') {
          failures.push(String(r.reason));
          continue;
        }
        try {
          const outcome = classify(r.value.status, r.value.headers['content-type'], r.value.text);
          assert.equal(outcome.kind, 'stream-done');
          assert.ok(
            outcome.kind === 'stream-done' && outcome.content.startsWith(expected),
            'whole answer',
          );
        } catch (err) {
          failures.push((err as Error).message.slice(0, 200));
        }
      }
      assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${CLIENTS} failed`);
      note('500 clients', {
        failures: failures.length,
        peakInBridge,
        peakOpenUpstreamStreams: peak,
      });
      assert.ok(peakInBridge >= CLIENTS / 2, `streams overlapped (peak ${peakInBridge} at once)`);
      await waitFor(() => s.bridge.activeStreams() === 0, 'every stream accounted for');
      await assertHealthy(s.bridge.port);
    } finally {
      await s.close();
    }
  });

  it('past maxConcurrent: 429 with retry-after, the admitted streams finish, then it recovers', async () => {
    const MAX = 8;
    // ~45 events 40 ms apart: each admitted stream stays open for ~2 s.
    const s: Stack = await startStack({
      sim: { chunkDelayMs: 40 },
      bridge: { maxConcurrent: MAX },
    });
    try {
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, s.sim.openStreams());
      }, 5);
      const results = await Promise.all(
        Array.from({ length: 60 }, () => postChat(s.bridge.port, s.bridge.token, chatBody(true))),
      );
      clearInterval(sampler);
      let done = 0;
      let refused = 0;
      for (const r of results) {
        const outcome = classify(r.status, r.headers['content-type'], r.text);
        if (outcome.kind === 'stream-done') done++;
        else {
          assert.equal(outcome.kind === 'error' && outcome.status, 429, JSON.stringify(outcome));
          assert.equal(outcome.kind === 'error' && outcome.code, 'bridge_overloaded');
          assert.match(String(r.headers['retry-after']), /^\d+$/, 'retry-after in seconds');
          refused++;
        }
      }
      note('overload', { served: done, refused429: refused, peakOpenUpstreamStreams: peak });
      assert.ok(done >= MAX, `at least ${MAX} streams served (${done})`);
      assert.ok(refused > 0, 'the rest were told to retry');
      assert.ok(peak <= MAX, `never more than ${MAX} upstream streams at once (peak ${peak})`);
      await sleep(50);
      const after = await postChat(s.bridge.port, s.bridge.token, chatBody(false));
      assert.equal(after.status, 200, 'serves again once the load is gone');
      await assertHealthy(s.bridge.port);
    } finally {
      await s.close();
    }
  });
});
