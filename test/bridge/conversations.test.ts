// Conversation reuse in native mode: a follow-up that repeats the bridge's own previous answer
// continues the same CustomGPT.ai conversation and sends only the new user turn; unrelated
// history opens a new conversation with the earlier turns folded into the prompt; the
// x-customgpt-session-id request header picks a session; system/developer -> custom_persona.
import assert from 'node:assert/strict';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { SESSION_HEADER } from '../../bridge/protocol.js';
import { NO_ANSWER_MESSAGE } from '../../bridge/simulator/knowledge.js';
import { MAX_FOLDED_PROMPT_BYTES } from '../../bridge/upstream/sessions.js';
import {
  bodyString,
  isConversationCreate,
  isMessageSend,
  postRaw,
  readOpenAIError,
  requestsSince,
  type Stack,
  startStack,
  type UpstreamRequest,
} from './harness.js';

const A = 'How do I install Acme Rocket?';
const B = 'And how do I configure the port?';

async function send(
  stack: Stack,
  messages: ChatCompletionMessageParam[],
  headers: Record<string, string> = {},
) {
  const since = stack.sim.requests.length;
  const { data, response } = await stack
    .client({ maxRetries: 0 })
    .chat.completions.create({ model: 'x', messages }, { headers })
    .withResponse();
  const upstream = requestsSince(stack.sim, since);
  return {
    content: data.choices[0]?.message.content ?? '',
    session: response.headers.get(SESSION_HEADER),
    creates: upstream.filter(isConversationCreate),
    sends: upstream.filter(isMessageSend),
  };
}

const sessionOf = (r: UpstreamRequest) =>
  /\/conversations\/([^/]+)\/messages$/.exec(r.path)?.[1] ?? null;

describe('conversation reuse (native mode)', () => {
  let stack: Stack;
  before(async () => {
    // These tests count the conversations each request opens on demand; spare conversations
    // (made ahead of need) have their own tests in spare-conversations.test.ts.
    stack = await startStack({ bridge: { spareConversations: false } });
  });
  after(() => stack.close());

  it('a follow-up carrying the previous answer continues the same session with only the new turn', async () => {
    const first = await send(stack, [{ role: 'user', content: A }]);
    assert.ok(first.session, `response header ${SESSION_HEADER}`);
    assert.equal(first.creates.length, 1, 'one conversation created');
    assert.equal(first.sends.length, 1, 'one message sent');
    assert.equal(sessionOf(first.sends[0]!), first.session, 'the header names the used session');
    assert.equal(bodyString(first.sends[0]!, 'prompt'), A);

    const second = await send(stack, [
      { role: 'user', content: A },
      { role: 'assistant', content: first.content },
      { role: 'user', content: B },
    ]);
    assert.equal(second.session, first.session, 'same session');
    assert.equal(second.creates.length, 0, 'no new conversation');
    assert.equal(second.sends.length, 1);
    assert.equal(sessionOf(second.sends[0]!), first.session);
    assert.equal(bodyString(second.sends[0]!, 'prompt'), B, 'only the new user turn is sent');

    const third = await send(stack, [
      { role: 'user', content: A },
      { role: 'assistant', content: first.content },
      { role: 'user', content: B },
      { role: 'assistant', content: second.content },
      { role: 'user', content: 'How do I deploy it?' },
    ]);
    assert.equal(third.session, first.session, 'the chain continues on the third turn');
    assert.equal(third.creates.length, 0);
    assert.equal(bodyString(third.sends[0]!, 'prompt'), 'How do I deploy it?');
  });

  it('a streamed answer can be continued too', async () => {
    const since = stack.sim.requests.length;
    const { data: stream, response } = await stack
      .client({ maxRetries: 0 })
      .chat.completions.create({
        model: 'x',
        stream: true,
        messages: [{ role: 'user', content: 'How do I write a unit test for Acme Rocket?' }],
      })
      .withResponse();
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    const session = response.headers.get(SESSION_HEADER);
    assert.ok(session, `streaming response header ${SESSION_HEADER}`);
    assert.equal(requestsSince(stack.sim, since).filter(isConversationCreate).length, 1);

    const next = await send(stack, [
      { role: 'user', content: 'How do I write a unit test for Acme Rocket?' },
      { role: 'assistant', content },
      { role: 'user', content: 'And with fixtures?' },
    ]);
    assert.equal(next.session, session);
    assert.equal(next.creates.length, 0);
    assert.equal(bodyString(next.sends[0]!, 'prompt'), 'And with fixtures?');
  });

  it('unrelated history opens a new conversation and folds the earlier turns into the prompt', async () => {
    const earlier = await send(stack, [{ role: 'user', content: A }]);
    const x = 'What routing options exist in Acme Rocket?';
    const made = 'Routes are declared with app.get and friends (an answer this bridge never gave).';
    const y = 'Show me a wildcard example.';
    const r = await send(stack, [
      { role: 'user', content: x },
      { role: 'assistant', content: made },
      { role: 'user', content: y },
    ]);
    assert.equal(r.creates.length, 1, 'a new conversation');
    assert.ok(r.session && r.session !== earlier.session, 'a different session');
    assert.equal(r.sends.length, 1);
    const prompt = bodyString(r.sends[0]!, 'prompt') ?? '';
    assert.ok(prompt.includes(x), `prompt folds the earlier user turn: ${prompt}`);
    assert.ok(prompt.includes(made), `prompt folds the earlier assistant turn: ${prompt}`);
    assert.ok(prompt.includes(y), `prompt carries the new question: ${prompt}`);
    assert.ok(prompt.indexOf(x) < prompt.indexOf(y), 'earlier turns come first');
  });

  it(`a long history is folded within ${MAX_FOLDED_PROMPT_BYTES} bytes, newest turns kept, with a note`, async () => {
    const history: ChatCompletionMessageParam[] = [];
    for (let i = 0; i < 200; i++) {
      history.push({ role: 'user', content: `Old question ${i}: ${'q'.repeat(1000)}` });
      history.push({ role: 'assistant', content: `Old answer ${i}: ${'a'.repeat(1000)}` });
    }
    const question = `Now the real question: ${'x'.repeat(150_000)}`; // alone beyond the bound
    const r = await send(stack, [...history, { role: 'user', content: question }]);
    assert.equal(r.creates.length, 1);
    const prompt = bodyString(r.sends[0]!, 'prompt') ?? '';
    assert.ok(prompt.endsWith(`[Current question]\n${question}`), 'the question goes whole');
    assert.match(prompt, /^\[Conversation so far\]\n\(400 earlier turns were left out/);

    const short = await send(stack, [...history, { role: 'user', content: 'And now?' }]);
    const folded = bodyString(short.sends[0]!, 'prompt') ?? '';
    const size = Buffer.byteLength(folded, 'utf8');
    assert.ok(size <= MAX_FOLDED_PROMPT_BYTES, `${size} bytes upstream`);
    assert.ok(size > MAX_FOLDED_PROMPT_BYTES / 2, 'the room is used');
    assert.match(folded, /^\[Conversation so far\]\n\(\d+ earlier turns were left out/);
    assert.ok(folded.includes('Old answer 199: '), 'the newest earlier turn is kept');
    assert.ok(!folded.includes('Old question 0: '), 'the oldest is left out');
    assert.ok(folded.endsWith('[Current question]\nAnd now?'));
  });

  it('never continues a session of another project', async () => {
    const first = await send(stack, [{ role: 'user', content: A }]);
    const since = stack.sim.requests.length;
    const { data } = await stack
      .client({ maxRetries: 0, baseURL: `${stack.bridge.origin}/api/v1/projects/1002` })
      .chat.completions.create({
        model: 'x',
        messages: [
          { role: 'user', content: A },
          { role: 'assistant', content: first.content },
          { role: 'user', content: B },
        ],
      })
      .withResponse();
    assert.ok(data.choices[0]?.message.content);
    const upstream = requestsSince(stack.sim, since);
    assert.equal(upstream.filter(isConversationCreate).length, 1, 'a conversation in 1002');
    for (const r of upstream.filter(isMessageSend)) {
      assert.match(r.path, /\/projects\/1002\//);
      assert.notEqual(sessionOf(r), first.session, "1001's session is not used for 1002");
    }
  });

  it('a slightly edited previous answer does not continue the session', async () => {
    const first = await send(stack, [{ role: 'user', content: A }]);
    const second = await send(stack, [
      { role: 'user', content: A },
      { role: 'assistant', content: `${first.content} (edited)` },
      { role: 'user', content: B },
    ]);
    assert.notEqual(second.session, first.session);
    assert.equal(second.creates.length, 1);
  });

  it('the x-customgpt-session-id request header picks the session; prompt = last user message', async () => {
    const first = await send(stack, [{ role: 'user', content: A }]);
    assert.ok(first.session);
    const picked = await send(
      stack,
      [
        { role: 'user', content: 'Some unrelated earlier question' },
        { role: 'assistant', content: 'Some answer the bridge never gave.' },
        { role: 'user', content: B },
      ],
      { [SESSION_HEADER]: first.session },
    );
    assert.equal(picked.creates.length, 0, 'no new conversation');
    assert.equal(picked.sends.length, 1);
    assert.equal(sessionOf(picked.sends[0]!), first.session);
    assert.equal(bodyString(picked.sends[0]!, 'prompt'), B);
    assert.equal(picked.session, first.session);
  });

  // Review finding M1: a session picked by id holds turns the request does not carry, so its
  // request and answer are no transcript of it; remembering them as one led another chat with
  // the same question and answer into that conversation (and its private earlier turns).
  it('a Responses previous_response_id continuation never takes over a chat with the same question and answer', async () => {
    const Q2 = 'What is the airspeed of an unladen swallow?';
    const chatB = await send(stack, [{ role: 'user', content: Q2 }]);
    const client = stack.client({ maxRetries: 0 });
    const r1 = await client.responses.create({
      model: 'x',
      input: 'My secret project codename is BLUEBIRD. How do I install Acme Rocket?',
    });
    const { data: r2, response } = await client.responses
      .create({ model: 'x', input: Q2, previous_response_id: r1.id })
      .withResponse();
    assert.equal(r2.output_text, chatB.content, 'the same question got the same answer');
    const responsesSession = response.headers.get(SESSION_HEADER);
    assert.ok(responsesSession);
    const followUp = await send(stack, [
      { role: 'user', content: Q2 },
      { role: 'assistant', content: chatB.content },
      { role: 'user', content: 'And a laden one?' },
    ]);
    assert.notEqual(followUp.session, responsesSession, 'chat B stays out of the Responses one');
    assert.equal(followUp.session, chatB.session, 'chat B continues its own conversation');
  });

  it('a session picked by the header is not remembered under the partial transcript', async () => {
    const Q = 'What is the airspeed of a laden swallow?';
    const own = await send(stack, [{ role: 'user', content: Q }]);
    const other = await send(stack, [{ role: 'user', content: A }]);
    assert.ok(other.session);
    const picked = await send(stack, [{ role: 'user', content: Q }], {
      [SESSION_HEADER]: other.session,
    });
    assert.equal(picked.content, own.content);
    const followUp = await send(stack, [
      { role: 'user', content: Q },
      { role: 'assistant', content: own.content },
      { role: 'user', content: B },
    ]);
    assert.notEqual(followUp.session, other.session);
    assert.equal(followUp.session, own.session);
  });

  it('an unknown session in x-customgpt-session-id -> 404 that blames the session, not the project', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: [{ role: 'user', content: B }] },
      { token: stack.bridge.token, headers: { [SESSION_HEADER]: unknown } },
    );
    assert.equal(res.status, 404);
    const { body } = await readOpenAIError(res);
    assert.match(body.error.message, /session|conversation/i);
    assert.doesNotMatch(
      body.error.message,
      /project\s+1001\s+(was\s+)?not\s+found/i,
      'project 1001 exists: the message must not say it was not found',
    );
  });

  it('a malformed x-customgpt-session-id -> 400 naming the header, nothing upstream', async () => {
    const since = stack.sim.requests.length;
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: [{ role: 'user', content: B }] },
      { token: stack.bridge.token, headers: { [SESSION_HEADER]: '../../projects/1002' } },
    );
    assert.equal(res.status, 400);
    await readOpenAIError(res);
    assert.equal(requestsSince(stack.sim, since).filter(isMessageSend).length, 0);
  });

  it('system and developer messages become custom_persona upstream', async () => {
    const r = await send(stack, [
      { role: 'system', content: 'You are a terse pirate.' },
      { role: 'developer', content: 'Always answer in English.' },
      { role: 'user', content: 'How do I add CORS middleware to Acme Rocket?' },
    ]);
    assert.equal(r.sends.length, 1);
    const persona = bodyString(r.sends[0]!, 'custom_persona') ?? '';
    assert.ok(persona.includes('You are a terse pirate.'), `custom_persona: ${persona}`);
    assert.ok(persona.includes('Always answer in English.'), `custom_persona: ${persona}`);
    const prompt = bodyString(r.sends[0]!, 'prompt') ?? '';
    assert.ok(!prompt.includes('terse pirate'), 'the persona is not folded into the prompt');
    assert.equal(prompt, 'How do I add CORS middleware to Acme Rocket?');
  });

  it('chats with the same opening and answer but different personas stay apart', async () => {
    // Both get the project's "I don't know" answer: only the system prompt tells them apart.
    const q = 'What is the airspeed of an unladen swallow?';
    const follow = 'Then what about a laden one?';
    const sysA = 'You are Persona A.';
    const sysB = 'You are Persona B.';
    const a1 = await send(stack, [
      { role: 'system', content: sysA },
      { role: 'user', content: q },
    ]);
    const b1 = await send(stack, [
      { role: 'system', content: sysB },
      { role: 'user', content: q },
    ]);
    assert.equal(a1.content, NO_ANSWER_MESSAGE);
    assert.equal(b1.content, a1.content, 'same opening, same answer');
    assert.ok(a1.session && b1.session && a1.session !== b1.session, 'two conversations');

    const a2 = await send(stack, [
      { role: 'system', content: sysA },
      { role: 'user', content: q },
      { role: 'assistant', content: a1.content },
      { role: 'user', content: follow },
    ]);
    assert.equal(a2.sends.length, 1);
    assert.notEqual(sessionOf(a2.sends[0]!), b1.session, "chat A's follow-up is not in chat B's");
    assert.equal(sessionOf(a2.sends[0]!), a1.session, "chat A's follow-up continues chat A");
    assert.equal(bodyString(a2.sends[0]!, 'custom_persona'), sysA);

    const b2 = await send(stack, [
      { role: 'system', content: sysB },
      { role: 'user', content: q },
      { role: 'assistant', content: b1.content },
      { role: 'user', content: follow },
    ]);
    assert.equal(b2.sends.length, 1);
    assert.equal(sessionOf(b2.sends[0]!), b1.session, "chat B's follow-up continues chat B");
    assert.equal(bodyString(b2.sends[0]!, 'custom_persona'), sysB);
  });

  it('a changed persona starts a new conversation', async () => {
    const q = 'How do I register a wildcard route?';
    const first = await send(stack, [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: q },
    ]);
    const next = await send(stack, [
      { role: 'system', content: 'Answer at length, with examples.' },
      { role: 'user', content: q },
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'And a path parameter?' },
    ]);
    assert.equal(next.creates.length, 1, 'a new conversation');
    assert.notEqual(sessionOf(next.sends[0]!), first.session);
    const prompt = bodyString(next.sends[0]!, 'prompt') ?? '';
    assert.ok(prompt.includes(q), 'the earlier turns are folded into the new prompt');
  });

  it('no system message: custom_persona is absent or empty', async () => {
    const r = await send(stack, [{ role: 'user', content: 'How do I deploy with Docker?' }]);
    const persona = bodyString(r.sends[0]!, 'custom_persona');
    assert.ok(persona === undefined || persona === '', `custom_persona: ${persona}`);
  });
});
