// Property-based fuzzing of request bodies (arbitrary JSON, and near-valid chat bodies with
// arbitrary values in every field): every case ends in a well-formed answer (a completion, an
// SSE stream ending in [DONE] or an error event, or an OpenAI error), never a 5xx other than
// the seed's 501 for an unsupported parameter, and the bridge stays up (a health probe after
// each batch). Guards: bridge/http/body.ts readJsonBody and bridge/chat/request.ts
// parseChatRequest (every value checked before use).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { postChat } from './support/http';
import { assertHealthy, type Stack, startStack } from './support/stack';
import { classify } from './support/wellformed';

const BATCHES = 4;
const RUNS_PER_BATCH = 40;

const anything = fc.anything({ maxDepth: 3, maxKeys: 4, size: 'small' });
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const role = fc.oneof(
  fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function'),
  fc.string({ maxLength: 10 }),
  anything,
);
const part = fc.oneof(
  fc.record({ type: fc.constant('text'), text }),
  fc.record({
    type: fc.constantFrom('image_url', 'input_audio', 'file', 'refusal'),
    text: anything,
  }),
  anything,
);
const content = fc.oneof(text, fc.constant(null), fc.array(part, { maxLength: 3 }), anything);
const message = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      role: fc.constantFrom('system', 'developer', 'user', 'assistant'),
      content: fc.oneof(
        text,
        fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 2 }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ role, content }, { requiredKeys: [] }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { role, content, name: text, tool_calls: anything },
      { requiredKeys: ['role'] },
    ),
  },
  { weight: 1, arbitrary: anything },
);
const lastUser = fc.record({
  role: fc.constant('user'),
  content: fc.oneof(text, fc.constant('How do I install Acme Rocket?')),
});
const messages = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.array(message, { maxLength: 3 }), lastUser).map(([a, b]) => [...a, b]),
  },
  { weight: 1, arbitrary: fc.array(message, { maxLength: 4 }) },
  { weight: 1, arbitrary: anything },
);
/** Mostly a valid value, sometimes anything at all. */
const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: anything });
const core = fc.record(
  {
    model: maybe(fc.string({ maxLength: 20 })),
    messages,
    stream: maybe(fc.boolean()),
    stream_options: maybe(fc.record({ include_usage: maybe(fc.boolean()) }, { requiredKeys: [] })),
  },
  { requiredKeys: ['messages'] },
);
/** At most two more parameters, supported, ignored or unsupported, with any value. */
const extra = fc.dictionary(
  fc.constantFrom(
    'temperature',
    'top_p',
    'max_tokens',
    'max_completion_tokens',
    'n',
    'stop',
    'seed',
    'user',
    'metadata',
    'logprobs',
    'presence_penalty',
    'reasoning_effort',
    'tools',
    'tool_choice',
    'parallel_tool_calls',
    'response_format',
    'modalities',
    'audio',
    'functions',
    '__proto__',
    'constructor',
  ),
  fc.oneof(fc.constant([]), fc.constant(null), fc.double(), fc.integer(), text, anything),
  { maxKeys: 2 },
);
const chatBody = fc
  .tuple(core, fc.option(extra, { freq: 2, nil: undefined }))
  .map(([body, more]) => ({ ...more, ...body }));
const sessionHeader = fc.oneof(
  { weight: 5, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.uuid(),
      fc.constantFrom('../x', 'a b', '%00'),
    ),
  },
);

/** Header values node:http refuses to send would test the client, not the bridge. */
const sendable = (v: string) => /^[\x21-\x7e][\x20-\x7e]*$/.test(v) && !v.endsWith(' ');

describe('hardening: request fuzzing (fast-check)', function () {
  this.timeout(120_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ sim: { chunkDelayMs: 0 } });
  });
  after(() => s.close());

  const seen = new Map<string, number>();
  const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

  async function acceptable(body: string, session?: string): Promise<void> {
    const headers: Record<string, string> = {};
    if (session !== undefined && sendable(session)) headers['x-customgpt-session-id'] = session;
    const res = await postChat(s.bridge.port, s.bridge.token, body, headers);
    const outcome = classify(res.status, res.headers['content-type'], res.text);
    count(outcome.kind === 'error' ? `${outcome.status} ${outcome.code}` : outcome.kind);
    if (outcome.kind === 'error' && outcome.status >= 500) {
      assert.equal(
        outcome.status,
        501,
        `a 5xx for a request body: ${res.text}\n${body.slice(0, 300)}`,
      );
      assert.equal(outcome.code, 'unsupported_parameter');
    }
    if (outcome.kind === 'stream-error')
      assert.fail(`stream error for ${body.slice(0, 300)}: ${outcome.message}`);
  }

  it('arbitrary JSON bodies', async () => {
    for (let batch = 0; batch < BATCHES; batch++) {
      await fc.assert(
        fc.asyncProperty(fc.json({ maxDepth: 4 }), (body) => acceptable(body)),
        { numRuns: RUNS_PER_BATCH, seed: 1000 + batch },
      );
      await assertHealthy(s.bridge.port);
    }
  });

  it('near-valid chat bodies, with an arbitrary session header', async () => {
    seen.clear();
    for (let batch = 0; batch < BATCHES; batch++) {
      await fc.assert(
        fc.asyncProperty(chatBody, sessionHeader, (body, session) =>
          acceptable(JSON.stringify(body), session),
        ),
        { numRuns: RUNS_PER_BATCH },
      );
      await assertHealthy(s.bridge.port);
    }
    // The generator must reach the upstream often enough to mean something.
    const answered = (seen.get('completion') ?? 0) + (seen.get('stream-done') ?? 0);
    assert.ok(answered >= BATCHES * RUNS_PER_BATCH * 0.05, `answers: ${JSON.stringify([...seen])}`);
    if (process.env.HARDENING_VERBOSE) console.log(JSON.stringify([...seen].sort()));
  });
});
