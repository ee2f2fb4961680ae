// The Responses API through the official openai SDK, against the simulator: text and message
// input, instructions as the persona, the documented stream event sequence, url_citation
// annotations, previous_response_id continuing the same upstream conversation, and the seed's
// spirit for parameters (501 for tools, dropped under --on-unsupported ignore).
import assert from 'node:assert/strict';
import { APIError, NotFoundError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { answerFor, citationById } from '../../bridge/simulator/knowledge.js';
import {
  bodyString,
  CITED_PROMPT,
  isAnswerCall,
  isConversationCreate,
  isMessageSend,
  PROJECT_MODEL,
  postRaw,
  readOpenAIError,
  requestsSince,
  type Stack,
  startStack,
  withStack,
} from './harness.js';

const EXPECTED = answerFor(CITED_PROMPT);
const FIRST_URL = citationById(EXPECTED.citationIds[0]!)?.url;
const FOLLOW_UP = 'How do I define routes?';

describe('Responses API (POST /v1/responses)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('responses.create() answers with output_text and url_citation annotations', async () => {
    const res = await stack.client().responses.create({ model: 'x', input: CITED_PROMPT });
    assert.equal(res.object, 'response');
    assert.equal(res.status, 'completed');
    assert.match(res.id, /^resp_/);
    assert.equal(res.model, PROJECT_MODEL);
    assert.ok(res.output_text.includes(EXPECTED.text), res.output_text);
    const message = res.output[0];
    assert.ok(message?.type === 'message');
    const part = message.content[0];
    assert.ok(part?.type === 'output_text');
    assert.equal(part.text, res.output_text);
    const first = part.annotations[0];
    assert.ok(first?.type === 'url_citation', JSON.stringify(part.annotations));
    assert.equal(first.url, FIRST_URL);
    assert.ok(part.text.slice(first.start_index, first.end_index).includes(first.url));
  });

  it('responses.create({stream: true}) sends the documented event sequence', async () => {
    const stream = await stack
      .client()
      .responses.create({ model: 'x', input: CITED_PROMPT, stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const ev of stream) events.push(ev);
    const types = events.map((e) => e.type);
    const distinct = types.filter((t, i) => t !== types[i - 1]);
    assert.deepEqual(distinct, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.annotation.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.deepEqual(
      events.map((e) => e.sequence_number),
      events.map((_, i) => i),
      'sequence numbers rise by one from 0',
    );
    const text = events
      .map((e) => (e.type === 'response.output_text.delta' ? e.delta : ''))
      .join('');
    const done = events.at(-1);
    assert.ok(done?.type === 'response.completed');
    assert.equal(done.response.output_text, text);
    assert.ok(text.includes(EXPECTED.text));
  });

  it('the SDK stream helper (responses.stream) accumulates the final response', async () => {
    const final = await stack
      .client()
      .responses.stream({ model: 'x', input: CITED_PROMPT })
      .finalResponse();
    assert.ok(final.output_text.includes(EXPECTED.text));
  });

  it('takes message items and instructions; instructions travel as the persona', async () => {
    const since = stack.sim.requests.length;
    const res = await stack.client().responses.create({
      model: 'x',
      instructions: 'Answer like a pirate.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: CITED_PROMPT }] }],
    });
    assert.ok(res.output_text.includes(EXPECTED.text));
    assert.equal(res.instructions, 'Answer like a pirate.');
    const send = requestsSince(stack.sim, since).find(isMessageSend);
    assert.ok(send);
    assert.equal(bodyString(send, 'custom_persona'), 'Answer like a pirate.');
    assert.equal(bodyString(send, 'prompt'), CITED_PROMPT);
  });

  for (const stream of [false, true]) {
    it(`previous_response_id continues the same upstream conversation (stream: ${stream})`, async () => {
      const client = stack.client();
      const since = stack.sim.requests.length;
      const first = await client.responses
        .stream({ model: 'x', input: CITED_PROMPT })
        .finalResponse();
      const second = stream
        ? await client.responses
            .stream({ model: 'x', input: FOLLOW_UP, previous_response_id: first.id })
            .finalResponse()
        : await client.responses.create({
            model: 'x',
            input: FOLLOW_UP,
            previous_response_id: first.id,
          });
      assert.ok(second.output_text.includes(answerFor(FOLLOW_UP).text));
      assert.equal(second.previous_response_id, first.id);
      const upstream = requestsSince(stack.sim, since);
      assert.equal(upstream.filter(isConversationCreate).length, 1, 'one conversation');
      const sends = upstream.filter(isMessageSend);
      assert.equal(sends.length, 2);
      assert.equal(sends[0]!.path, sends[1]!.path, 'both questions went to the same session');
      assert.equal(bodyString(sends[1]!, 'prompt'), FOLLOW_UP, 'only the new question is sent');
      assert.equal(
        (await fetch(`${stack.bridge.url}/responses/${second.id}`)).status,
        401,
        'the retrieve route needs the token too',
      );
    });
  }

  it('an unknown previous_response_id is a 404 NotFoundError naming the parameter', async () => {
    const since = stack.sim.requests.length;
    await assert.rejects(
      stack.client({ maxRetries: 0 }).responses.create({
        model: 'x',
        input: FOLLOW_UP,
        previous_response_id: 'resp_unknown123',
      }),
      (err: unknown) =>
        err instanceof NotFoundError &&
        err.param === 'previous_response_id' &&
        err.code === 'previous_response_not_found',
    );
    assert.equal(requestsSince(stack.sim, since).filter(isAnswerCall).length, 0);
  });

  it('GET /v1/responses/{id} is a 404 that says responses are not stored', async () => {
    const res = await stack.client().responses.create({ model: 'x', input: CITED_PROMPT });
    await assert.rejects(
      stack.client({ maxRetries: 0 }).responses.retrieve(res.id),
      (err: unknown) => err instanceof NotFoundError && /does not store/.test(err.message),
    );
  });

  it('tools answer 501 with x-should-retry: false, before anything reaches the upstream', async () => {
    const since = stack.sim.requests.length;
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/responses',
      {
        model: 'x',
        input: CITED_PROMPT,
        tools: [{ type: 'function', name: 'f', parameters: {} }],
      },
      { token: stack.bridge.token },
    );
    assert.equal(res.status, 501);
    assert.equal(res.headers.get('x-should-retry'), 'false');
    const { body } = await readOpenAIError(res);
    assert.equal(body.error.param, 'tools');
    assert.equal(requestsSince(stack.sim, since).length, 0);
  });

  it('sampling and storage parameters are ignored', async () => {
    const res = await stack.client().responses.create({
      model: 'x',
      input: CITED_PROMPT,
      temperature: 0.2,
      top_p: 0.5,
      max_output_tokens: 5,
      store: true,
      metadata: { a: 'b' },
      reasoning: { effort: 'low' },
      truncation: 'auto',
      user: 'u',
    });
    assert.ok(res.output_text.includes(EXPECTED.text));
  });

  it('bad input is a 400 with the field named', async () => {
    for (const [body, param] of [
      [{ model: 'x' }, 'input'],
      [{ model: 'x', input: 42 }, 'input'],
      [
        { model: 'x', input: [{ role: 'user', content: [{ type: 'x', text: 'a' }] }] },
        'input[0].content[0].type',
      ],
      [{ model: 'x', input: [{ role: 'assistant', content: 'hi' }] }, 'input'],
      [{ model: 'x', input: 'hi', previous_response_id: 'nope' }, 'previous_response_id'],
    ] as const) {
      const res = await postRaw(stack.bridge.origin, '/v1/responses', body, {
        token: stack.bridge.token,
      });
      assert.equal(res.status, 400, JSON.stringify(body));
      const { body: err } = await readOpenAIError(res);
      assert.equal(err.error.param, param);
    }
  });

  it('serves /responses too (base URL without /v1)', async () => {
    const client = stack.client({ baseURL: stack.bridge.origin });
    const res = await client.responses.create({ model: 'customgpt-1002', input: CITED_PROMPT });
    assert.equal(res.model, 'gpt-4-1');
  });

  it('an upstream failure mid-stream ends the stream with response.failed', async () => {
    stack.sim.injectFault({ kind: 'error-event', afterEvents: 2 });
    const stream = await stack
      .client({ maxRetries: 0 })
      .responses.create({ model: 'x', input: CITED_PROMPT, stream: true });
    const types: string[] = [];
    try {
      for await (const ev of stream) types.push(ev.type);
    } catch (err) {
      assert.ok(err instanceof APIError, String(err));
    }
    assert.equal(types.at(-1), 'response.failed', types.join(','));
  });
});

describe('Responses API under --on-unsupported ignore', () => {
  it('drops tools and tool-call items and answers', () =>
    withStack({ bridge: { onUnsupported: 'ignore' } }, async (stack) => {
      const res = await stack.client().responses.create({
        model: 'x',
        input: [
          { type: 'function_call_output', call_id: 'c1', output: 'ok' },
          { role: 'user', content: CITED_PROMPT },
        ],
        tools: [{ type: 'function', name: 'f', parameters: {}, strict: false }],
        tool_choice: 'auto',
        parallel_tool_calls: true,
      });
      assert.ok(res.output_text.includes(EXPECTED.text));
    }));
});

describe('Responses API in compat upstream mode', () => {
  it('answers through the same backend; previous_response_id is a 404 (no upstream conversation)', () =>
    withStack({ bridge: { upstreamMode: 'compat' } }, async (stack) => {
      const first = await stack.client().responses.create({ model: 'x', input: CITED_PROMPT });
      assert.ok(first.output_text.includes(EXPECTED.text));
      await assert.rejects(
        stack.client({ maxRetries: 0 }).responses.create({
          model: 'x',
          input: FOLLOW_UP,
          previous_response_id: first.id,
        }),
        (err: unknown) => err instanceof NotFoundError && /native upstream mode/.test(err.message),
      );
    }));
});

describe('Responses API: an answer cut short upstream (compat finish_reason)', () => {
  it('length -> status incomplete, incomplete_details max_output_tokens (review S3)', () =>
    withStack({ bridge: { upstreamMode: 'compat' } }, async (stack) => {
      stack.sim.injectFault({ kind: 'compat-variant', finishReason: 'length' });
      const res = await stack
        .client({ maxRetries: 0 })
        .responses.create({ model: 'x', input: CITED_PROMPT });
      assert.equal(res.status, 'incomplete');
      assert.deepEqual(res.incomplete_details, { reason: 'max_output_tokens' });
      assert.ok(res.output_text.includes(EXPECTED.text));
    }));

  it('content_filter on a stream ends it with response.incomplete', () =>
    withStack({ bridge: { upstreamMode: 'compat' } }, async (stack) => {
      stack.sim.injectFault({ kind: 'compat-variant', finishReason: 'content_filter' });
      const stream = await stack
        .client({ maxRetries: 0 })
        .responses.create({ model: 'x', input: CITED_PROMPT, stream: true });
      const events: ResponseStreamEvent[] = [];
      for await (const ev of stream) events.push(ev);
      const last = events.at(-1);
      assert.equal(last?.type, 'response.incomplete');
      assert.ok(last?.type === 'response.incomplete');
      assert.equal(last.response.status, 'incomplete');
      assert.deepEqual(last.response.incomplete_details, { reason: 'content_filter' });
    }));
});

describe('Responses API: upstream errors in its own terms', () => {
  it('an upstream 413 names `input`, not `messages` (review N4)', () =>
    withStack({}, async (stack) => {
      stack.sim.injectFault({ kind: 'status', status: 413, match: '/messages' });
      await assert.rejects(
        stack.client({ maxRetries: 0 }).responses.create({ model: 'x', input: CITED_PROMPT }),
        (err: unknown) => {
          assert.ok(err instanceof APIError, String(err));
          assert.equal(err.status, 413);
          assert.equal(err.param, 'input');
          return true;
        },
      );
    }));
});
