// A streamed Responses answer: keep-alive, a failure after a ping, a client that leaves. The
// keep-alive is the one chat completions uses (bridge/http/keep-alive.ts): a ping comes one
// interval after the last thing the client saw, and a stream committed by a ping still carries
// x-customgpt-session-id (review finding S1).
import assert from 'node:assert/strict';
import { SESSION_HEADER } from '../../bridge/protocol.js';
import { isConversationCreate, postRaw, type Stack, waitFor, withStack } from './harness.js';
import { silenceBeforePing } from './raw-sse.js';

const QUESTION = 'How do I install Acme Rocket?';

function streamResponses(stack: Stack): Promise<Response> {
  return postRaw(
    stack.bridge.origin,
    '/v1/responses',
    { model: 'x', stream: true, input: QUESTION },
    { token: stack.bridge.token },
  );
}

describe('Responses API keep-alive pings', () => {
  it('pings one interval after the last thing the client saw, not up to two', () =>
    withStack({ bridge: { pingIntervalMs: 1000, streamIdleTimeoutMs: 120_000 } }, async (stack) => {
      // The answer starts within the first interval, then stalls (the old Responses timer
      // ticked from the request's start and skipped a tick after any write: ~1950 ms).
      stack.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      const silence = await silenceBeforePing(await streamResponses(stack));
      assert.ok(silence < 1500, `a ping ${silence.toFixed(0)} ms after the last delta`);
      assert.ok(silence > 500, `not long before the interval: ${silence.toFixed(0)} ms`);
    }));

  it('x-customgpt-session-id is still sent when opening the conversation outlasts a ping interval', () =>
    withStack({ bridge: { pingIntervalMs: 50, spareConversations: false } }, async (stack) => {
      stack.sim.injectFault({
        kind: 'slow-first-byte',
        ms: 400,
        match: '/conversations',
        times: 1,
      });
      const res = await streamResponses(stack);
      const text = await res.text();
      assert.equal(stack.sim.requests.filter(isConversationCreate).length, 1);
      assert.match(text, /^: ?ping/m, 'an overdue ping goes out as soon as the session is known');
      assert.match(text, /event: response\.completed/);
      assert.ok(res.headers.get(SESSION_HEADER), 'the session header survived the slow opening');
    }));
});

describe('Responses API failure after a keep-alive committed the stream', () => {
  it('responses.stream() gets the bridge error, not a missing response.created (review S2)', () =>
    withStack(
      { bridge: { pingIntervalMs: 50, streamIdleTimeoutMs: 120_000, spareConversations: false } },
      async (stack) => {
        // Slow conversation creation: pings commit the stream; then the upstream refuses.
        stack.sim.injectFault({ kind: 'slow-first-byte', ms: 400, match: '/conversations' });
        stack.sim.injectFault({
          kind: 'status',
          status: 500,
          match: '/messages',
          body: '{"status":"error","data":{"code":500,"message":"bad"}}',
        });
        const stream = stack
          .client({ maxRetries: 0 })
          .responses.stream({ model: 'x', input: QUESTION });
        const types: string[] = [];
        let error: { code: string; message: string } | null | undefined;
        // The old bridge sent response.failed alone: the helper threw "When snapshot hasn't
        // been set yet, expected 'response.created' event" and the bridge's message was lost.
        for await (const ev of stream) {
          types.push(ev.type);
          if (ev.type === 'response.failed') error = ev.response.error;
        }
        assert.deepEqual(types, ['response.created', 'response.in_progress', 'response.failed']);
        assert.equal(error?.code, 'server_error', 'a ResponseError code');
        assert.match(error?.message ?? '', /CustomGPT/);
      },
    ));
});

describe('Responses API: a client that goes away', () => {
  it('aborts the upstream answer mid-stream (review N7)', () =>
    withStack({ sim: { chunkDelayMs: 150, chunkSize: 4 } }, async (stack) => {
      const abort = new AbortController();
      const stream = await stack
        .client({ maxRetries: 0 })
        .responses.create({ model: 'x', input: QUESTION, stream: true }, { signal: abort.signal });
      const reading = (async () => {
        for await (const ev of stream) if (ev.type === 'response.output_text.delta') break;
      })();
      await reading;
      await waitFor(() => stack.sim.streams.length === 1, 'the upstream stream started');
      abort.abort();
      await waitFor(
        () => stack.sim.streams[0]?.outcome === 'client-aborted',
        'the simulator saw the upstream request aborted',
      );
      await waitFor(() => stack.bridge.activeStreams() === 0, 'the bridge let the stream go');
    }));
});
