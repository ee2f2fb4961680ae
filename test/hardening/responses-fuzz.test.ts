// Property-based fuzzing of POST /v1/responses: arbitrary JSON and near-valid Responses bodies
// (any value in every field, tool items, odd parts). Every case ends in a well-formed answer (a
// `response` object, an SSE stream ending in response.completed or response.failed, or an
// OpenAI error), never a 5xx other than the 501 for an unsupported feature, and the bridge stays
// up. Guard: bridge/responses/request.ts parseResponsesRequest (every value checked before use).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { httpRequest, jsonHeaders } from './support/http';
import { assertHealthy, type Stack, startStack } from './support/stack';
import { isRecord, openAIError, sseData } from './support/wellformed';

const RUNS = 60;
const anything = fc.anything({ maxDepth: 3, maxKeys: 4, size: 'small' });
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: anything });
const part = fc.oneof(
  fc.record({ type: fc.constantFrom('input_text', 'output_text'), text: maybe(text) }),
  fc.record({ type: fc.constantFrom('input_image', 'input_file', 'refusal', 'x'), text }),
  anything,
);
const item = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      role: fc.constantFrom('system', 'developer', 'user', 'assistant'),
      content: fc.oneof(text, fc.array(part, { maxLength: 2 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: maybe(
          fc.constantFrom('message', 'function_call', 'function_call_output', 'reasoning'),
        ),
        role: maybe(fc.string({ maxLength: 10 })),
        content: anything,
      },
      { requiredKeys: [] },
    ),
  },
);
const question = fc.record({
  role: fc.constant('user'),
  content: fc.constant('How do I install Acme Rocket?'),
});
const input = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(fc.array(item, { maxLength: 2 }), question).map(([a, q]) => [...a, q]),
  },
  { weight: 2, arbitrary: fc.oneof(text, fc.constant('How do I install Acme Rocket?')) },
  { weight: 1, arbitrary: anything },
);
const body = fc.record(
  {
    model: maybe(fc.constantFrom('x', 'customgpt-1002', 'customgpt-9')),
    input,
    stream: maybe(fc.boolean()),
    instructions: maybe(text),
    previous_response_id: fc.oneof(fc.constant(undefined), fc.constant('resp_unknown'), anything),
    tools: fc.oneof(fc.constant(undefined), fc.constant([]), anything),
    text: fc.oneof(fc.constant(undefined), fc.constant({ format: { type: 'text' } }), anything),
    temperature: maybe(fc.double()),
  },
  { requiredKeys: ['input'] },
);

describe('hardening: Responses API request fuzzing (fast-check)', function () {
  this.timeout(120_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ sim: { chunkDelayMs: 0 } });
  });
  after(() => s.close());

  const seen = new Map<string, number>();

  async function acceptable(raw: string): Promise<void> {
    const res = await httpRequest(s.bridge.port, {
      method: 'POST',
      path: '/v1/responses',
      headers: jsonHeaders(s.bridge.token, {}),
      body: raw,
    });
    const type = res.headers['content-type'] ?? '';
    let outcome: string;
    if (type.startsWith('text/event-stream')) {
      assert.equal(res.status, 200);
      const events = sseData(res.text).map((d) => JSON.parse(d) as { type?: string });
      const last = events.at(-1)?.type;
      assert.ok(last === 'response.completed' || last === 'response.failed', res.text.slice(-300));
      outcome = last;
    } else {
      assert.match(type, /^application\/json/);
      const parsed: unknown = JSON.parse(res.text);
      if (res.status === 200) {
        assert.ok(isRecord(parsed) && parsed.object === 'response', res.text.slice(0, 300));
        assert.equal(parsed.status, 'completed');
        outcome = 'response';
      } else {
        const err = openAIError(parsed);
        if (res.status >= 500) {
          assert.equal(
            res.status,
            501,
            `a 5xx for a request body: ${res.text}\n${raw.slice(0, 300)}`,
          );
          assert.equal(err.code, 'unsupported_parameter');
        }
        outcome = `${res.status} ${err.code}`;
      }
    }
    seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
  }

  it('arbitrary JSON and near-valid Responses bodies', async () => {
    await fc.assert(fc.asyncProperty(fc.json({ maxDepth: 4 }), acceptable), { numRuns: RUNS });
    await assertHealthy(s.bridge.port);
    await fc.assert(
      fc.asyncProperty(body, (b) => acceptable(JSON.stringify(b))),
      { numRuns: RUNS * 2 },
    );
    await assertHealthy(s.bridge.port);
    const answered = (seen.get('response') ?? 0) + (seen.get('response.completed') ?? 0);
    assert.ok(answered >= 5, `answers: ${JSON.stringify([...seen])}`);
  });
});
