// Upstream failures after the stream started: the client gets an SSE `data: {"error":{...}}`
// event and a clean end of the response (the SDK raises APIError), never a hung client or a
// dropped socket. Client aborts propagate upstream.
import assert from 'node:assert/strict';
import { APIError } from 'openai';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import {
  assertOpenAIError,
  CITED_PROMPT,
  type Fault,
  isRecord,
  postRaw,
  readOpenAIError,
  type Stack,
  UPSTREAM_KEY,
  waitFor,
  withStack,
} from './harness.js';
import { deltaContents, jsonEvents, parseRawSse } from './raw-sse.js';

const MESSAGES = [{ role: 'user' as const, content: CITED_PROMPT }];

async function sdkStreamOutcome(stack: Stack) {
  const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
    model: 'x',
    messages: MESSAGES,
    stream: true,
  });
  let content = '';
  let finish: string | null = null;
  try {
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
  } catch (err) {
    return { content, finish, error: err };
  }
  return { content, finish, error: undefined };
}

/** Reads the raw body to its end; a dropped socket makes `text()` reject, which fails the test. */
async function rawBody(stack: Stack): Promise<string> {
  const res = await postRaw(
    stack.bridge.origin,
    '/v1/chat/completions',
    { model: 'x', messages: MESSAGES, stream: true },
    { token: stack.bridge.token },
  );
  assert.equal(res.status, 200, 'the stream had started before the failure');
  return res.text();
}

function assertErrorEventEnd(text: string): void {
  const sse = parseRawSse(text);
  const events = jsonEvents(sse);
  const errors = events.filter((e) => isRecord(e) && 'error' in e);
  assert.equal(errors.length, 1, `one error event; events: ${sse.data.join(' | ').slice(0, 600)}`);
  assertOpenAIError(errors[0]);
  const errorAt = sse.data.findIndex((d) => d.includes('"error"'));
  const afterError = sse.data.slice(errorAt + 1).filter((d) => d !== '[DONE]');
  assert.deepEqual(afterError, [], 'nothing but [DONE] follows the error event');
  assert.ok(deltaContents(sse).join('').length > 0, 'content before the failure was delivered');
  assert.ok(!text.includes(UPSTREAM_KEY), 'the error never shows the upstream key');
}

const MID_STREAM_FAILURES: { name: string; fault: Fault }[] = [
  { name: 'the upstream drops the connection', fault: { kind: 'drop-mid-stream', afterEvents: 3 } },
  {
    name: 'the upstream sends an error event',
    fault: {
      kind: 'error-event',
      afterEvents: 3,
      message: `upstream exploded near ${UPSTREAM_KEY}`,
    },
  },
];

describe('upstream failure after the stream started', () => {
  for (const { name, fault } of MID_STREAM_FAILURES) {
    it(`${name}: SDK raises APIError after partial content`, () =>
      withStack({}, async (stack) => {
        stack.sim.injectFault(fault);
        const outcome = await sdkStreamOutcome(stack);
        assert.ok(outcome.error instanceof APIError, `APIError, got ${String(outcome.error)}`);
        assert.ok(outcome.content.length > 0);
        assert.ok(!outcome.content.includes(answerFor(CITED_PROMPT).text), 'the answer was cut');
      }));

    it(`${name}: raw stream ends cleanly with one error event`, () =>
      withStack({}, async (stack) => {
        stack.sim.injectFault(fault);
        assertErrorEventEnd(await rawBody(stack));
      }));
  }

  it('the upstream stalls past streamIdleTimeoutMs: error event, clean end', () =>
    withStack({ bridge: { streamIdleTimeoutMs: 300 } }, async (stack) => {
      stack.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      assertErrorEventEnd(await rawBody(stack));
      await waitFor(
        () => stack.sim.streams.every((s) => s.endedAt !== undefined),
        'the stalled upstream stream is closed by the bridge',
      );
    }));

  it('the upstream sends a malformed event: the stream still ends (stop or error), never hangs', () =>
    withStack({}, async (stack) => {
      stack.sim.injectFault({ kind: 'malformed-event', afterEvents: 3 });
      const text = await rawBody(stack);
      const sse = parseRawSse(text);
      const events = jsonEvents(sse);
      const errored = events.some((e) => isRecord(e) && 'error' in e);
      const stopped = events.some(
        (e) => isRecord(e) && JSON.stringify(e.choices ?? []).includes('"finish_reason":"stop"'),
      );
      assert.ok(errored !== stopped, `exactly one of error/stop ends it: ${sse.data.join(' | ')}`);
      if (stopped) assert.equal(sse.data[sse.data.length - 1], '[DONE]');
    }));

  it('the SDK sees a malformed upstream event as a finished answer or an APIError', () =>
    withStack({}, async (stack) => {
      stack.sim.injectFault({ kind: 'malformed-event', afterEvents: 3 });
      const outcome = await sdkStreamOutcome(stack);
      if (outcome.error !== undefined) assert.ok(outcome.error instanceof APIError);
      else assert.equal(outcome.finish, 'stop');
    }));

  it('the bridge serves the next request normally after a failed stream', () =>
    withStack({}, async (stack) => {
      stack.sim.injectFault({ kind: 'drop-mid-stream', afterEvents: 2, times: 1 });
      await sdkStreamOutcome(stack);
      const next = await sdkStreamOutcome(stack);
      assert.equal(next.error, undefined);
      assert.ok(next.content.includes(answerFor(CITED_PROMPT).text));
    }));
});

describe('client going away', () => {
  it('aborting the client stream aborts the upstream stream', () =>
    withStack({ bridge: { streamIdleTimeoutMs: 120_000 } }, async (stack) => {
      stack.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
        model: 'x',
        messages: MESSAGES,
        stream: true,
      });
      let sawContent = false;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) {
          sawContent = true;
          break; // the SDK aborts its request when iteration stops early
        }
      }
      assert.ok(sawContent);
      await waitFor(
        () => stack.sim.streams.some((s) => s.outcome === 'client-aborted'),
        "the simulator saw the bridge abort its stream ('client-aborted')",
      );
    }));
});

describe('upstream failure during a non-streaming answer', () => {
  const cases: { name: string; fault: Fault; bridge?: { streamIdleTimeoutMs: number } }[] = [
    { name: 'drop mid-answer', fault: { kind: 'drop-mid-stream', afterEvents: 3 } },
    {
      name: 'error event mid-answer',
      fault: { kind: 'error-event', afterEvents: 3, message: 'x' },
    },
    {
      name: 'stall past streamIdleTimeoutMs',
      fault: { kind: 'stall', afterEvents: 3 },
      bridge: { streamIdleTimeoutMs: 300 },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: a 5xx OpenAI error, never a partial 200`, () =>
      withStack({ bridge: c.bridge ?? {} }, async (stack) => {
        stack.sim.injectFault(c.fault);
        const res = await postRaw(
          stack.bridge.origin,
          '/v1/chat/completions',
          { model: 'x', messages: MESSAGES },
          { token: stack.bridge.token },
        );
        assert.ok(res.status >= 500 && res.status < 600, `5xx, got ${res.status}`);
        const { text } = await readOpenAIError(res);
        assert.ok(!text.includes(UPSTREAM_KEY));
      }));
  }
});
