// Keep-alive on a streamed Responses answer: the same shared keep-alive as chat completions
// (bridge/http/keep-alive.ts), so a ping comes one interval after the last thing the client saw,
// and a stream committed by a ping still carries x-customgpt-session-id (review finding S1).
import assert from 'node:assert/strict';
import { SESSION_HEADER } from '../../bridge/protocol.js';
import { isConversationCreate, postRaw, type Stack, withStack } from './harness.js';
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
