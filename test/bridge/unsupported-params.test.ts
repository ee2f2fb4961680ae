// The seed's 501 parameters: tools, tool_choice, parallel_tool_calls, audio (and input_audio
// parts), response_format, web_search_options, modalities. Each is refused with 501,
// `x-should-retry: false` and a non-retryable error type, in exactly one HTTP round trip; values
// that ask for nothing beyond plain text count as absent; `onUnsupported: 'ignore'` drops them.
import assert from 'node:assert/strict';
import { APIError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import {
  bodyText,
  countingFetch,
  isAnswerCall,
  requestsSince,
  type Stack,
  startStack,
  withStack,
} from './harness.js';

type Body = Record<string, unknown>;
const USER = { role: 'user', content: 'How do I install Acme Rocket?' };
const TOOL = {
  type: 'function',
  function: { name: 'lookup_weather', parameters: { type: 'object' } },
};

interface UnsupportedCase {
  name: string;
  extra: Body;
  /** The param the 501 must name (one of these when two parameters are involved). */
  params: string[];
  /** A marker that must never reach upstream when the parameter is dropped. */
  marker?: string;
}

const UNSUPPORTED: UnsupportedCase[] = [
  { name: 'tools', extra: { tools: [TOOL] }, params: ['tools'], marker: 'lookup_weather' },
  { name: 'tool_choice required', extra: { tool_choice: 'required' }, params: ['tool_choice'] },
  {
    name: 'tool_choice naming a function',
    extra: { tool_choice: { type: 'function', function: { name: 'lookup_weather' } } },
    params: ['tool_choice'],
    marker: 'lookup_weather',
  },
  {
    name: 'parallel_tool_calls with tools',
    extra: { tools: [TOOL], parallel_tool_calls: true },
    params: ['parallel_tool_calls', 'tools'],
    marker: 'lookup_weather',
  },
  { name: 'audio', extra: { audio: { voice: 'alloy', format: 'mp3' } }, params: ['audio'] },
  {
    name: 'response_format json_object',
    extra: { response_format: { type: 'json_object' } },
    params: ['response_format'],
  },
  {
    name: 'response_format json_schema',
    extra: {
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'schema_marker_q81', schema: { type: 'object' } },
      },
    },
    params: ['response_format'],
    marker: 'schema_marker_q81',
  },
  {
    name: 'web_search_options',
    extra: { web_search_options: { search_context_size: 'low' } },
    params: ['web_search_options'],
  },
  {
    name: 'modalities text+audio',
    extra: { modalities: ['text', 'audio'] },
    params: ['modalities'],
  },
];

const INPUT_AUDIO_MESSAGES = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'How do I install Acme Rocket?' },
      { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZF', format: 'wav' } },
    ],
  },
];

const ABSENT_EQUIVALENTS: { name: string; extra: Body }[] = [
  { name: 'tools: null', extra: { tools: null } },
  { name: 'tools: []', extra: { tools: [] } },
  { name: 'tool_choice: null', extra: { tool_choice: null } },
  { name: 'parallel_tool_calls without tools', extra: { parallel_tool_calls: true } },
  { name: 'audio: null', extra: { audio: null } },
  { name: "response_format {type:'text'}", extra: { response_format: { type: 'text' } } },
  { name: 'response_format: null', extra: { response_format: null } },
  { name: 'web_search_options: null', extra: { web_search_options: null } },
  { name: "modalities ['text']", extra: { modalities: ['text'] } },
  { name: 'modalities: null', extra: { modalities: null } },
];

const asParams = (b: Body) => b as unknown as ChatCompletionCreateParamsNonStreaming;

async function expect501(stack: Stack, body: Body, params: string[]): Promise<void> {
  const counter = countingFetch();
  const client = stack.client({ fetch: counter.fetch }); // default retries: they must not happen
  const since = stack.sim.requests.length;
  let caught: unknown;
  try {
    await client.chat.completions.create(asParams(body));
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof APIError, `an APIError, got ${String(caught)}`);
  assert.equal(caught.status, 501);
  assert.equal(counter.calls.length, 1, `exactly one HTTP request: ${counter.calls.join(', ')}`);
  assert.equal(caught.headers?.get('x-should-retry'), 'false');
  assert.equal(caught.type, 'invalid_request_error');
  assert.ok(
    params.includes(String(caught.param)),
    `param ${String(caught.param)} is one of ${params.join('|')}`,
  );
  assert.equal(requestsSince(stack.sim, since).filter(isAnswerCall).length, 0, 'nothing upstream');
}

describe('unsupported parameters (501)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  for (const c of UNSUPPORTED) {
    it(`501 for ${c.name}`, () =>
      expect501(stack, { model: 'x', messages: [USER], ...c.extra }, c.params));
    it(`501 for ${c.name} when streaming`, () =>
      expect501(stack, { model: 'x', stream: true, messages: [USER], ...c.extra }, c.params));
  }

  it('501 for an input_audio content part, param naming the part', async () => {
    const counter = countingFetch();
    const client = stack.client({ fetch: counter.fetch });
    await assert.rejects(
      client.chat.completions.create(asParams({ model: 'x', messages: INPUT_AUDIO_MESSAGES })),
      (err: unknown) => {
        assert.ok(err instanceof APIError);
        assert.equal(err.status, 501);
        assert.equal(err.headers?.get('x-should-retry'), 'false');
        assert.equal(err.type, 'invalid_request_error');
        assert.match(String(err.param), /^messages\[0\]\.content/);
        return true;
      },
    );
    assert.equal(counter.calls.length, 1);
  });

  for (const c of ABSENT_EQUIVALENTS) {
    it(`${c.name} asks for nothing and succeeds`, async () => {
      const res = await stack
        .client({ maxRetries: 0 })
        .chat.completions.create(asParams({ model: 'x', messages: [USER], ...c.extra }));
      assert.equal(res.choices.length, 1);
      assert.ok(res.choices[0]?.message.content);
    });
  }
});

describe("unsupported parameters with onUnsupported: 'ignore'", () => {
  for (const c of UNSUPPORTED) {
    it(`drops ${c.name} and answers`, () =>
      withStack({ bridge: { onUnsupported: 'ignore' } }, async (stack) => {
        const since = stack.sim.requests.length;
        const res = await stack
          .client({ maxRetries: 0 })
          .chat.completions.create(asParams({ model: 'x', messages: [USER], ...c.extra }));
        assert.equal(res.choices.length, 1);
        assert.ok(res.choices[0]?.message.content);
        if (c.marker) {
          for (const r of requestsSince(stack.sim, since)) {
            assert.ok(!bodyText(r).includes(c.marker), `${c.marker} reached upstream: ${r.path}`);
          }
        }
      }));
  }

  it('drops an input_audio part and answers from the text parts', () =>
    withStack({ bridge: { onUnsupported: 'ignore' } }, async (stack) => {
      const since = stack.sim.requests.length;
      const res = await stack
        .client({ maxRetries: 0 })
        .chat.completions.create(asParams({ model: 'x', messages: INPUT_AUDIO_MESSAGES }));
      assert.ok(res.choices[0]?.message.content);
      for (const r of requestsSince(stack.sim, since)) {
        assert.ok(!bodyText(r).includes('UklGRiQAAABXQVZF'), 'audio data reached upstream');
      }
    }));

  it('streams too with every unsupported parameter at once', () =>
    withStack({ bridge: { onUnsupported: 'ignore' } }, async (stack) => {
      const all = Object.assign({}, ...UNSUPPORTED.map((c) => c.extra)) as Body;
      const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
        ...(all as object),
        model: 'x',
        stream: true,
        messages: [{ role: 'user', content: 'How do I install Acme Rocket?' }],
      });
      let text = '';
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      assert.ok(text.length > 0);
      assert.equal(finish, 'stop');
    }));
});
