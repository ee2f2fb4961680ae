// Streaming chat.completion.chunk events over SSE, as the openai SDK and raw clients see them.
import assert from 'node:assert/strict';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import {
  CITED_PROMPT,
  fetchCitation,
  isRecord,
  PROJECT_ID,
  PROJECT_MODEL,
  postRaw,
  type Stack,
  startStack,
  withStack,
} from './harness.js';
import {
  completeEvents,
  deltaContents,
  jsonEvents,
  parseRawSse,
  readUntil,
  silenceBeforePing,
} from './raw-sse.js';

const MESSAGES = [{ role: 'user' as const, content: CITED_PROMPT }];
const ANSWER = answerFor(CITED_PROMPT).text;

async function collect(stack: Stack, extra: Record<string, unknown> = {}) {
  const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
    ...extra,
    model: 'x',
    messages: MESSAGES,
    stream: true,
  });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const contentOf = (chunks: ChatCompletionChunk[]) =>
  chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
const citationsField = (chunk: ChatCompletionChunk | undefined): unknown =>
  chunk ? (chunk as unknown as Record<string, unknown>).citations : undefined;

async function rawStream(stack: Stack, extra: Record<string, unknown> = {}) {
  return postRaw(
    stack.bridge.origin,
    '/v1/chat/completions',
    { model: 'x', messages: MESSAGES, stream: true, ...extra },
    { token: stack.bridge.token },
  );
}

describe('streaming', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ sim: { chunkSize: 8 } });
  });
  after(() => stack.close());

  it('chunks: role first, shared id/created, chunk object, full content, stop last, no usage', async () => {
    const chunks = await collect(stack);
    assert.ok(chunks.length >= 2, `several chunks, got ${chunks.length}`);
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant', 'first delta carries the role');
    const { id, created } = chunks[0]!;
    assert.ok(id.length > 0);
    assert.ok(Number.isInteger(created));
    assert.ok(Math.abs(created - Date.now() / 1000) < 3600, `created in unix seconds: ${created}`);
    for (const c of chunks) {
      assert.equal(c.id, id, 'same id on every chunk');
      assert.equal(c.created, created, 'same created on every chunk');
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.model, PROJECT_MODEL);
      assert.ok(c.usage === undefined || c.usage === null, 'no usage unless asked');
      assert.equal(c.choices.length, 1);
      assert.equal(c.choices[0]?.index, 0);
    }
    assert.ok(contentOf(chunks).includes(ANSWER), 'concatenated deltas hold the answer');
    const last = chunks[chunks.length - 1];
    assert.equal(last?.choices[0]?.finish_reason, 'stop');
    for (const c of chunks.slice(0, -1)) {
      assert.equal(c.choices[0]?.finish_reason ?? null, null, 'finish_reason only on the last');
    }
    const citations = citationsField(last);
    assert.ok(Array.isArray(citations) && citations.length > 0, 'last chunk carries citations');
    const expected = answerFor(CITED_PROMPT).citationIds.map(String);
    assert.deepEqual(
      citations.map((c: unknown) => (isRecord(c) ? String(c.id) : '?')),
      expected,
    );
  });

  it('raw SSE: text/event-stream, JSON data events, ends with data: [DONE]', async () => {
    const res = await rawStream(stack);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const text = await res.text();
    assert.match(text, /data: \[DONE\]\s*$/, 'the body ends with data: [DONE]');
    const sse = parseRawSse(text);
    assert.equal(sse.data.filter((d) => d === '[DONE]').length, 1, 'exactly one [DONE]');
    assert.equal(sse.data[sse.data.length - 1], '[DONE]');
    for (const e of jsonEvents(sse)) {
      assert.ok(isRecord(e) && e.object === 'chat.completion.chunk', JSON.stringify(e));
      const choice = Array.isArray(e.choices) ? e.choices[0] : undefined;
      assert.ok(isRecord(choice), 'one choice');
      assert.ok('finish_reason' in choice, 'finish_reason present (null until the end)');
      assert.equal(choice.logprobs, null, 'logprobs: null');
    }
  });

  it('content arrives in many deltas (no buffering): about answer length / chunkSize', async () => {
    const chunks = await collect(stack);
    const contentChunks = chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '');
    const expected = Math.ceil(ANSWER.length / 8);
    assert.ok(
      contentChunks.length >= Math.max(2, Math.floor(expected / 2)),
      `got ${contentChunks.length} content chunks for ~${expected} upstream progress events`,
    );
  });

  it('client.chat.completions.stream() + finalChatCompletion() works', async () => {
    const runner = stack.client({ maxRetries: 0 }).chat.completions.stream({
      model: 'x',
      messages: MESSAGES,
    });
    let deltas = '';
    runner.on('content', (delta) => {
      deltas += delta;
    });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices.length, 1);
    assert.equal(final.choices[0]?.message.role, 'assistant');
    assert.equal(final.choices[0]?.finish_reason, 'stop');
    assert.ok(final.choices[0]?.message.content?.includes(ANSWER));
    assert.equal(deltas, final.choices[0]?.message.content);
  });

  it('include_usage: exactly one usage chunk, choices [], just before [DONE]', async () => {
    const chunks = await collect(stack, { stream_options: { include_usage: true } });
    const withUsage = chunks.filter((c) => c.usage !== undefined && c.usage !== null);
    assert.equal(withUsage.length, 1, 'one chunk carries usage');
    const last = chunks[chunks.length - 1]!;
    assert.equal(withUsage[0], last, 'the usage chunk is the last one');
    assert.deepEqual(last.choices, []);
    const u = last.usage!;
    for (const n of [u.prompt_tokens, u.completion_tokens, u.total_tokens]) {
      assert.ok(Number.isInteger(n) && n >= 0, `token count is a whole number: ${n}`);
    }
    assert.ok(u.completion_tokens > 0, 'the answer costs tokens');
    assert.ok(u.prompt_tokens > 0, 'the prompt costs tokens');
    assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
    assert.ok(contentOf(chunks).includes(ANSWER));
    const beforeUsage = chunks[chunks.length - 2];
    assert.equal(beforeUsage?.choices[0]?.finish_reason, 'stop');

    const raw = parseRawSse(
      await (await rawStream(stack, { stream_options: { include_usage: true } })).text(),
    );
    const events = raw.data;
    assert.equal(events[events.length - 1], '[DONE]');
    const usageEvent = JSON.parse(events[events.length - 2]!) as Record<string, unknown>;
    assert.deepEqual(usageEvent.choices, []);
    assert.ok(isRecord(usageEvent.usage));
  });

  it('include_usage: false adds no usage chunk', async () => {
    const chunks = await collect(stack, { stream_options: { include_usage: false } });
    assert.ok(chunks.every((c) => c.usage === undefined || c.usage === null));
    assert.ok(chunks.every((c) => c.choices.length === 1));
  });

  it("citations 'append' (default) streams a Sources list naming the cited urls", async () => {
    const chunks = await collect(stack);
    const content = contentOf(chunks);
    const tail = content.slice(content.indexOf(ANSWER) + ANSWER.length);
    assert.match(tail, /sources/i);
    for (const id of answerFor(CITED_PROMPT).citationIds) {
      const c = await fetchCitation(stack.sim, PROJECT_ID, id);
      if (c.url) assert.ok(tail.includes(c.url), `Sources lists ${c.url}`);
    }
  });

  it('deltas reach the client while the upstream stream is still open', () =>
    withStack({ sim: { chunkSize: 8 }, bridge: { streamIdleTimeoutMs: 120_000 } }, async (s) => {
      s.sim.injectFault({ kind: 'stall', afterEvents: 4 });
      const res = await rawStream(s);
      assert.equal(res.status, 200);
      const text = await readUntil(res, (t) =>
        deltaContents(completeEvents(t)).some((c) => c !== ''),
      );
      assert.ok(text.includes('"content"'));
      assert.ok(
        s.sim.streams.some((st) => st.endedAt === undefined),
        'the upstream stream was still open when content arrived',
      );
    }));

  it('concurrent streams keep their own ids and answers', async () => {
    const prompts = [
      'How do I install Acme Rocket?',
      'How do I define a route?',
      'How do I write middleware?',
      'Where does the config live?',
      'How do I deploy with Docker?',
      'How do I test my app?',
    ];
    const results = await Promise.all(
      prompts.map(async (prompt) => {
        const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
          model: 'x',
          stream: true,
          messages: [{ role: 'user', content: prompt }],
        });
        const chunks: ChatCompletionChunk[] = [];
        for await (const c of stream) chunks.push(c);
        return { prompt, chunks };
      }),
    );
    const ids = new Set<string>();
    for (const { prompt, chunks } of results) {
      assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
      ids.add(chunks[0]!.id);
      const content = contentOf(chunks);
      assert.ok(content.includes(answerFor(prompt).text), `own answer for "${prompt}"`);
      for (const other of prompts) {
        const otherText = answerFor(other).text;
        if (otherText !== answerFor(prompt).text && !answerFor(prompt).text.includes(otherText)) {
          assert.ok(!content.includes(otherText), `"${prompt}" got the answer of "${other}"`);
        }
      }
    }
    assert.equal(ids.size, prompts.length, 'distinct ids');
  });

  it('upstream CRLF line ends and event names do not change the answer', () =>
    withStack({ sim: { crlf: true, eventNames: true, chunkSize: 5 } }, async (s) => {
      const chunks = await collect(s);
      assert.ok(contentOf(chunks).includes(ANSWER));
      assert.equal(chunks[chunks.length - 1]?.choices[0]?.finish_reason, 'stop');
    }));
});

describe("streaming with citations: 'field'", () => {
  it('the last chunk carries citations and the content lists no urls', () =>
    withStack({ bridge: { citations: 'field' } }, async (stack) => {
      const chunks = await collect(stack);
      const citations = citationsField(chunks[chunks.length - 1]);
      assert.ok(Array.isArray(citations) && citations.length > 0);
      const content = contentOf(chunks);
      assert.ok(content.includes(ANSWER));
      for (const id of answerFor(CITED_PROMPT).citationIds) {
        const c = await fetchCitation(stack.sim, PROJECT_ID, id);
        if (c.url) assert.ok(!content.includes(c.url), `content must not list ${c.url}`);
      }
    }));
});

describe('keep-alive pings', () => {
  it('sends `: ping` comments while the upstream is slow to answer, then the answer', () =>
    withStack({ bridge: { pingIntervalMs: 50 } }, async (stack) => {
      stack.sim.injectFault({ kind: 'slow-first-byte', ms: 800 });
      const res = await rawStream(stack);
      assert.equal(res.status, 200);
      const text = await res.text();
      const sse = parseRawSse(text);
      assert.ok(
        sse.comments.some((c) => /^\s*ping/.test(c)),
        `a ': ping' comment arrived; got comments ${JSON.stringify(sse.comments)}`,
      );
      const content = deltaContents(sse).join('');
      assert.ok(content.includes(ANSWER));
      assert.equal(sse.data[sse.data.length - 1], '[DONE]');
    }));

  it('pings one interval after the last thing the client saw, not up to two', () =>
    withStack({ bridge: { pingIntervalMs: 1000, streamIdleTimeoutMs: 120_000 } }, async (stack) => {
      // The answer starts within the first interval, then stalls: the client must hear a ping
      // one interval after the last delta (a timer ticking from the request's start waited for
      // a whole silent interval, so the ping came nearly two intervals after the delta).
      stack.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      const silence = await silenceBeforePing(await rawStream(stack));
      // Interval 1000 ms: the old timer pinged about 1950 ms after the last delta.
      assert.ok(silence < 1500, `a ping ${silence.toFixed(0)} ms after the last delta`);
      assert.ok(silence > 500, `not long before the interval: ${silence.toFixed(0)} ms`);
    }));

  it('sends `: ping` comments while the upstream stalls mid-stream', () =>
    withStack({ bridge: { pingIntervalMs: 50, streamIdleTimeoutMs: 120_000 } }, async (stack) => {
      stack.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      const res = await rawStream(stack);
      const text = await readUntil(res, (t) => {
        const sse = parseRawSse(t);
        const firstData = sse.sequence.findIndex((s) => s.startsWith('data:'));
        return (
          firstData >= 0 && sse.sequence.slice(firstData).some((s) => /^comment:\s*ping/.test(s))
        );
      });
      assert.match(text, /^: ?ping/m);
    }));
});
