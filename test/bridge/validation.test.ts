// `messages` is required: a non-empty array of system/developer/user/assistant messages whose
// content is a string or an array of text parts, ending with a user message. Everything else is
// a 400 whose `param` names the offending field; nothing reaches the upstream.
import assert from 'node:assert/strict';
import { APIError, BadRequestError } from 'openai';
import {
  bodyString,
  isAnswerCall,
  postRaw,
  readOpenAIError,
  requestsSince,
  type Stack,
  startStack,
} from './harness.js';

interface BadCase {
  name: string;
  body: unknown;
  /** Exact param, or a pattern the param must match. */
  param: string | RegExp;
}

const USER = { role: 'user', content: 'How do I deploy Acme Rocket?' };

const BAD: BadCase[] = [
  { name: 'missing messages', body: { model: 'x' }, param: 'messages' },
  { name: 'messages null', body: { model: 'x', messages: null }, param: 'messages' },
  { name: 'messages not an array', body: { model: 'x', messages: 'hi' }, param: 'messages' },
  { name: 'empty messages', body: { model: 'x', messages: [] }, param: 'messages' },
  { name: 'message not an object', body: { messages: ['hi'] }, param: /^messages\[0\]/ },
  { name: 'missing role', body: { messages: [{ content: 'hi' }] }, param: 'messages[0].role' },
  {
    name: 'unknown role in the middle',
    body: { messages: [USER, { role: 'robot', content: 'x' }, USER] },
    param: 'messages[1].role',
  },
  {
    name: 'content a number',
    body: { messages: [{ role: 'user', content: 42 }] },
    param: 'messages[0].content',
  },
  {
    name: 'content missing',
    body: { messages: [{ role: 'user' }] },
    param: 'messages[0].content',
  },
  {
    name: 'text part without text',
    body: { messages: [{ role: 'user', content: [{ type: 'text' }] }] },
    param: /^messages\[0\]\.content/,
  },
  {
    name: 'last message from the assistant',
    body: { messages: [USER, { role: 'assistant', content: 'Sure.' }] },
    param: /^messages/,
  },
  {
    name: 'only a system message',
    body: { messages: [{ role: 'system', content: 'Be brief.' }] },
    param: /^messages/,
  },
];

describe('request validation', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  for (const c of BAD) {
    it(`400 for ${c.name} (param ${String(c.param)})`, async () => {
      const since = stack.sim.requests.length;
      const res = await postRaw(stack.bridge.origin, '/v1/chat/completions', c.body, {
        token: stack.bridge.token,
      });
      assert.equal(res.status, 400);
      const { body } = await readOpenAIError(res);
      assert.equal(body.error.type, 'invalid_request_error');
      if (typeof c.param === 'string') assert.equal(body.error.param, c.param);
      else assert.match(String(body.error.param), c.param);
      assert.equal(requestsSince(stack.sim, since).filter(isAnswerCall).length, 0);
    });
  }

  it('400 for a body that is not JSON', async () => {
    const res = await postRaw(stack.bridge.origin, '/v1/chat/completions', '{"messages": [', {
      token: stack.bridge.token,
    });
    assert.equal(res.status, 400);
    const { body } = await readOpenAIError(res);
    assert.equal(body.error.type, 'invalid_request_error');
  });

  it('400 for a JSON body that is not an object', async () => {
    const res = await postRaw(stack.bridge.origin, '/v1/chat/completions', '[1,2]', {
      token: stack.bridge.token,
    });
    assert.equal(res.status, 400);
    await readOpenAIError(res);
  });

  it('an oversize body (6 MB) gets an OpenAI error status, not a dropped connection', async () => {
    const since = stack.sim.requests.length;
    await assert.rejects(
      stack.client({ maxRetries: 0 }).chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: 'x'.repeat(6_000_000) }],
      }),
      (err: unknown) => {
        assert.ok(err instanceof APIError && err.status === 413, `413, got ${String(err)}`);
        return true;
      },
    );
    assert.equal(requestsSince(stack.sim, since).filter(isAnswerCall).length, 0);
  });

  it('the SDK sees a 400 as BadRequestError with the param', async () => {
    await assert.rejects(
      stack.client({ maxRetries: 0 }).chat.completions.create({ model: 'x', messages: [] }),
      (err: unknown) => err instanceof BadRequestError && err.param === 'messages',
    );
  });

  it('accepts content as an array of text parts and sends their text upstream', async () => {
    const since = stack.sim.requests.length;
    const res = await stack.client().chat.completions.create({
      model: 'x',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'How do I deploy' },
            { type: 'text', text: 'Acme Rocket?' },
          ],
        },
      ],
    });
    assert.ok(res.choices[0]?.message.content);
    const sent = requestsSince(stack.sim, since).filter(isAnswerCall);
    assert.equal(sent.length, 1);
    const prompt = bodyString(sent[0]!, 'prompt') ?? JSON.stringify(sent[0]!.body);
    assert.ok(prompt.includes('How do I deploy'), prompt);
    assert.ok(prompt.includes('Acme Rocket?'), prompt);
  });

  it('sends a non-ASCII prompt upstream byte for byte', async () => {
    const prompt = 'How do I install Acme Rocket? 🚀 café, naïve, 日本語, "quotes" \\ and \ttabs';
    const since = stack.sim.requests.length;
    await stack.client().chat.completions.create({
      model: 'x',
      messages: [{ role: 'user', content: prompt }],
    });
    const sent = requestsSince(stack.sim, since).filter(isAnswerCall);
    assert.equal(bodyString(sent[0]!, 'prompt'), prompt);
  });

  it('accepts system, developer and assistant turns before the last user turn', async () => {
    const res = await stack.client().chat.completions.create({
      model: 'x',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: 'Answer in English.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi there.' },
        { role: 'user', content: 'How do I test an Acme Rocket app?' },
      ],
    });
    assert.equal(res.choices.length, 1);
  });
});
