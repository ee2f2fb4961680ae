// Compat mode: the bridge forwards to CustomGPT.ai's own /chat/completions, repairs its stream
// (role on the first delta, finish_reason on the last, [DONE]) and still enforces the seed's
// 501/ignored rules locally.
import assert from 'node:assert/strict';
import { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import {
  CITED_PROMPT,
  countingFetch,
  isCompatCall,
  isConversationCreate,
  isMessageSend,
  PROJECT_ID,
  PROJECT_MODEL,
  postRaw,
  requestsSince,
  type Stack,
  startStack,
} from './harness.js';
import { parseRawSse } from './raw-sse.js';

const MESSAGES = [{ role: 'user' as const, content: CITED_PROMPT }];
const ANSWER = answerFor(CITED_PROMPT).text;

describe('compat upstream mode', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ bridge: { upstreamMode: 'compat' } });
  });
  after(() => stack.close());
  afterEach(() => stack.sim.clearFaults());

  it('non-streaming: goes to /api/v1/projects/{id}/chat/completions and answers', async () => {
    const since = stack.sim.requests.length;
    const res = await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.choices.length, 1);
    assert.equal(res.model, PROJECT_MODEL);
    assert.equal(res.choices[0]?.message.role, 'assistant');
    assert.equal(res.choices[0]?.finish_reason, 'stop');
    assert.ok(res.choices[0]?.message.content?.includes(ANSWER));
    const upstream = requestsSince(stack.sim, since);
    const compat = upstream.filter(isCompatCall);
    assert.equal(compat.length, 1);
    assert.equal(compat[0]?.path, `/api/v1/projects/${PROJECT_ID}/chat/completions`);
    assert.equal(upstream.filter((r) => isConversationCreate(r) || isMessageSend(r)).length, 0);
  });

  it('streaming: the stream is repaired (role first, finish_reason last, [DONE])', async () => {
    const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
      model: 'x',
      messages: MESSAGES,
      stream: true,
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    assert.equal(chunks[chunks.length - 1]?.choices[0]?.finish_reason, 'stop');
    const ids = new Set(chunks.map((c) => c.id));
    assert.equal(ids.size, 1, 'one id across the stream');
    assert.equal(new Set(chunks.map((c) => c.created)).size, 1, 'one created across the stream');
    for (const c of chunks) assert.equal(c.object, 'chat.completion.chunk');
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.ok(content.includes(ANSWER));

    const raw = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: MESSAGES, stream: true },
      { token: stack.bridge.token },
    );
    assert.match(raw.headers.get('content-type') ?? '', /^text\/event-stream/);
    const sse = parseRawSse(await raw.text());
    assert.equal(sse.data[sse.data.length - 1], '[DONE]');
    assert.equal(sse.data.filter((d) => d === '[DONE]').length, 1);
  });

  it('stream() + finalChatCompletion() works against the repaired stream', async () => {
    const final = await stack
      .client({ maxRetries: 0 })
      .chat.completions.stream({ model: 'x', messages: MESSAGES })
      .finalChatCompletion();
    assert.equal(final.choices[0]?.message.role, 'assistant');
    assert.equal(final.choices[0]?.finish_reason, 'stop');
    assert.ok(final.choices[0]?.message.content?.includes(ANSWER));
  });

  it('include_usage: one usage chunk with choices [] at the end, none elsewhere', async () => {
    const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
      model: 'x',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const withUsage = chunks.filter((c) => c.usage !== undefined && c.usage !== null);
    assert.equal(withUsage.length, 1);
    const last = chunks[chunks.length - 1]!;
    assert.equal(withUsage[0], last);
    assert.deepEqual(last.choices, []);
    assert.equal(
      last.usage!.total_tokens,
      last.usage!.prompt_tokens + last.usage!.completion_tokens,
    );
  });

  it('no usage key on the non-streaming response', async () => {
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: MESSAGES },
      { token: stack.bridge.token },
    );
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal('usage' in body, false);
  });

  for (const [param, extra] of [
    ['tools', { tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['web_search_options', { web_search_options: { search_context_size: 'low' } }],
  ] as const) {
    it(`501 for ${param} is decided locally and never reaches the upstream`, async () => {
      const since = stack.sim.requests.length;
      const counter = countingFetch();
      await assert.rejects(
        stack
          .client({ fetch: counter.fetch })
          .chat.completions.create({ model: 'x', messages: MESSAGES, ...extra } as never),
        (err: unknown) => {
          assert.ok(err instanceof APIError);
          assert.equal(err.status, 501);
          assert.equal(err.param, param);
          assert.equal(err.headers?.get('x-should-retry'), 'false');
          return true;
        },
      );
      assert.equal(counter.calls.length, 1);
      assert.equal(requestsSince(stack.sim, since).filter(isCompatCall).length, 0);
    });
  }

  it('an upstream finish_reason "length" reaches the client (streaming)', async () => {
    stack.sim.injectFault({ kind: 'compat-variant', finishReason: 'length' });
    const chunks: ChatCompletionChunk[] = [];
    const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
      model: 'x',
      messages: MESSAGES,
      stream: true,
    });
    for await (const c of stream) chunks.push(c);
    const reasons = chunks.map((c) => c.choices[0]?.finish_reason).filter((r) => r != null);
    assert.deepEqual(reasons, ['length'], 'exactly one finish_reason, the upstream one');
    assert.ok(
      chunks
        .map((c) => c.choices[0]?.delta.content ?? '')
        .join('')
        .includes(ANSWER),
    );
  });

  it('an upstream finish_reason "length" reaches the client (non-streaming)', async () => {
    stack.sim.injectFault({ kind: 'compat-variant', finishReason: 'length' });
    const res = await stack
      .client({ maxRetries: 0 })
      .chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.equal(res.choices[0]?.finish_reason, 'length');
    assert.ok(res.choices[0]?.message.content?.includes(ANSWER));
  });

  it('chunks carrying "error": null are an ordinary answer, not an error', async () => {
    stack.sim.injectFault({ kind: 'compat-variant', fields: { error: null } });
    const final = await stack
      .client({ maxRetries: 0 })
      .chat.completions.stream({ model: 'x', messages: MESSAGES })
      .finalChatCompletion();
    assert.equal(final.choices[0]?.finish_reason, 'stop');
    assert.ok(final.choices[0]?.message.content?.includes(ANSWER));
    // Non-streaming with "error": null beside the completion.
    stack.sim.injectFault({ kind: 'compat-variant', fields: { error: null } });
    const res = await stack
      .client({ maxRetries: 0 })
      .chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.ok(res.choices[0]?.message.content?.includes(ANSWER));
  });

  it('upstream errors are mapped the same way (401 -> 401)', async () => {
    stack.sim.injectFault({ kind: 'status', status: 401, times: 10 });
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: MESSAGES },
      { token: stack.bridge.token },
    );
    assert.equal(res.status, 401);
  });

  it('a mid-stream upstream failure ends with an error event (SDK APIError)', async () => {
    stack.sim.injectFault({ kind: 'drop-mid-stream', afterEvents: 3 });
    const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
      model: 'x',
      messages: MESSAGES,
      stream: true,
    });
    await assert.rejects(
      async () => {
        for await (const _ of stream) {
          // drain
        }
      },
      (err: unknown) => err instanceof APIError,
    );
  });
});

describe('compat mode session', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ bridge: { upstreamMode: 'compat' } });
  });
  after(() => stack.close());

  it('sends the whole conversation to the compat endpoint', async () => {
    const since = stack.sim.requests.length;
    await stack.client().chat.completions.create({
      model: 'x',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is Acme Rocket?' },
        { role: 'assistant', content: 'A framework.' },
        { role: 'user', content: CITED_PROMPT },
      ],
    });
    const call = requestsSince(stack.sim, since).find(isCompatCall);
    assert.ok(call);
    const text = JSON.stringify(call.body);
    assert.ok(text.includes('What is Acme Rocket?'));
    assert.ok(text.includes(CITED_PROMPT));
  });
});
