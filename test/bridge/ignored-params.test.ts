// The seed's silently ignored parameters: the request succeeds and none of them reaches the
// upstream (native or compat). `n: 3` still yields exactly one choice; `max_tokens` does not
// truncate; the response's `model` is the project's, never the client's.
import assert from 'node:assert/strict';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import {
  bodyText,
  isAnswerCall,
  isRecord,
  PROJECT_MODEL,
  requestsSince,
  type UpstreamRequest,
  withStack,
} from './harness.js';

const PROMPT = 'How do I define a route in Acme Rocket?';

/** Every ignored parameter, with marker values that are easy to spot upstream. */
const IGNORED: Record<string, unknown> = {
  model: 'gpt-marker-model-z9',
  temperature: 0.123,
  frequency_penalty: 1.25,
  presence_penalty: -0.75,
  logit_bias: { '918273': -100 },
  max_tokens: 3,
  max_completion_tokens: 2,
  metadata: { tag: 'meta-marker-z9' },
  n: 3,
  prediction: { type: 'content', content: 'prediction-marker-z9' },
  seed: 918273645,
  service_tier: 'flex',
  stop: ['stop-marker-z9'],
  store: true,
  logprobs: true,
  top_logprobs: 3,
  top_p: 0.456,
  user: 'user-marker-z9',
  reasoning_effort: 'high',
  unknown_field_marker_z9: { nested: 'unknown-marker-z9' },
};

const MARKERS = [
  'gpt-marker-model-z9',
  'meta-marker-z9',
  'prediction-marker-z9',
  '918273645',
  '918273',
  'stop-marker-z9',
  'user-marker-z9',
  'unknown-marker-z9',
  'unknown_field_marker_z9',
];

/** Ignored names that must not appear as keys of the upstream body (`model` is judged by value). */
const KEYS = Object.keys(IGNORED).filter((k) => k !== 'model');

function assertNothingLeaked(requests: UpstreamRequest[]): void {
  for (const r of requests) {
    const text = bodyText(r);
    for (const m of MARKERS) assert.ok(!text.includes(m), `${m} reached upstream in ${r.path}`);
    const body: unknown = typeof r.body === 'string' ? JSON.parse(r.body || 'null') : r.body;
    if (isRecord(body)) {
      for (const k of KEYS) assert.ok(!(k in body), `'${k}' reached upstream in ${r.path}`);
    }
    for (const [k, v] of Object.entries(r.query ?? {})) {
      assert.ok(!KEYS.includes(k), `'${k}' reached upstream as a query parameter (${String(v)})`);
    }
  }
}

for (const upstreamMode of ['native', 'compat'] as const) {
  describe(`ignored parameters (${upstreamMode} upstream)`, () => {
    it('non-streaming: succeeds with one full choice and the project model, nothing leaks', () =>
      withStack({ bridge: { upstreamMode } }, async (stack) => {
        const since = stack.sim.requests.length;
        const res = await stack.client({ maxRetries: 0 }).chat.completions.create({
          ...IGNORED,
          messages: [{ role: 'user', content: PROMPT }],
        } as unknown as ChatCompletionCreateParamsNonStreaming);
        assert.equal(res.choices.length, 1, 'n: 3 still yields exactly one choice');
        assert.equal(res.model, PROJECT_MODEL);
        const content = res.choices[0]?.message.content ?? '';
        assert.ok(content.includes(answerFor(PROMPT).text), 'max_tokens did not truncate');
        assert.equal(res.choices[0]?.finish_reason, 'stop');
        const sent = requestsSince(stack.sim, since);
        assert.equal(sent.filter(isAnswerCall).length, 1);
        assertNothingLeaked(sent);
      }));

    it('streaming: succeeds, one choice index, nothing leaks', () =>
      withStack({ bridge: { upstreamMode } }, async (stack) => {
        const since = stack.sim.requests.length;
        const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
          ...IGNORED,
          messages: [{ role: 'user', content: PROMPT }],
          model: 'gpt-marker-model-z9',
          stream: true,
        });
        let text = '';
        for await (const chunk of stream) {
          assert.ok(chunk.choices.length <= 1, 'never more than one choice per chunk');
          for (const c of chunk.choices) assert.equal(c.index, 0);
          assert.notEqual(chunk.model, 'gpt-marker-model-z9');
          text += chunk.choices[0]?.delta.content ?? '';
        }
        assert.ok(text.includes(answerFor(PROMPT).text));
        assertNothingLeaked(requestsSince(stack.sim, since));
      }));
  });
}
