// Conversation edge cases in native mode: a remembered session the upstream has forgotten
// (restarted, deleted) and the session header on a streamed answer that needed keep-alive pings.
import assert from 'node:assert/strict';
import { startBridge } from '../../bridge/app.js';
import { startSimulator } from '../../bridge/simulator/index.js';
import {
  bodyString,
  isConversationCreate,
  isMessageSend,
  PROJECT_ID,
  postRaw,
  type Simulator,
  sdkClient,
  UPSTREAM_KEY,
  withStack,
} from './harness.js';

const SESSION_HEADER = 'x-customgpt-session-id';
const A = 'How do I install Acme Rocket?';
const B = 'And how do I configure the port?';

describe('conversation reuse when the upstream forgot the session', () => {
  it('starts a new conversation (folding the history) instead of failing', async () => {
    const sim1 = await startSimulator({ apiKey: UPSTREAM_KEY });
    const port = sim1.port;
    const bridge = await startBridge({
      port: 0,
      host: '127.0.0.1',
      project: PROJECT_ID,
      upstream: sim1.url,
      apiKey: UPSTREAM_KEY,
      log: 'silent',
      // Counts conversations opened on demand (spares: spare-conversations.test.ts).
      spareConversations: false,
    });
    let sim2: Simulator | undefined;
    try {
      const client = sdkClient(bridge, { maxRetries: 0 });
      const first = await client.chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: A }],
      });
      const answer = first.choices[0]?.message.content ?? '';
      await sim1.close();
      sim2 = await startSimulator({ apiKey: UPSTREAM_KEY, port }); // same URL, no conversations
      const second = await client.chat.completions.create({
        model: 'x',
        messages: [
          { role: 'user', content: A },
          { role: 'assistant', content: answer },
          { role: 'user', content: B },
        ],
      });
      assert.ok(second.choices[0]?.message.content, 'answered');
      const creates = sim2.requests.filter(isConversationCreate);
      assert.equal(creates.length, 1, 'a new conversation was opened');
      const sends = sim2.requests.filter(isMessageSend);
      const prompt = bodyString(sends[sends.length - 1]!, 'prompt') ?? '';
      assert.ok(prompt.includes(A) && prompt.includes(B), `history folded: ${prompt}`);
    } finally {
      await bridge.close();
      await (sim2 ?? sim1).close();
    }
  });
});

describe('conversation reuse when the upstream answers 410 Gone', () => {
  const GONE = {
    kind: 'status',
    status: 410,
    body: '{"status":"error","data":{"code":410,"message":"Conversation is gone"}}',
    match: '/messages',
  } as const;

  it('a remembered session that is gone starts a new conversation (folding the history)', () =>
    withStack({ bridge: { spareConversations: false } }, async (stack) => {
      const client = sdkClient(stack.bridge, { maxRetries: 0 });
      const first = await client.chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: A }],
      });
      const answer = first.choices[0]?.message.content ?? '';
      stack.sim.injectFault(GONE);
      const second = await client.chat.completions.create({
        model: 'x',
        messages: [
          { role: 'user', content: A },
          { role: 'assistant', content: answer },
          { role: 'user', content: B },
        ],
      });
      assert.ok(second.choices[0]?.message.content, 'answered, not a 400');
      assert.equal(stack.sim.requests.filter(isConversationCreate).length, 2, 'a new conversation');
      const sends = stack.sim.requests.filter(isMessageSend);
      const prompt = bodyString(sends[sends.length - 1]!, 'prompt') ?? '';
      assert.ok(prompt.includes(A) && prompt.includes(B), `history folded: ${prompt}`);
    }));

  it('a session the client named that is gone is a 404 session_not_found, not a retry', () =>
    withStack({ bridge: { spareConversations: false } }, async (stack) => {
      const first = await postRaw(
        stack.bridge.origin,
        '/v1/chat/completions',
        { model: 'x', messages: [{ role: 'user', content: A }] },
        { token: stack.bridge.token },
      );
      const session = first.headers.get(SESSION_HEADER);
      assert.ok(session, 'precondition: the session header');
      stack.sim.injectFault(GONE);
      const res = await postRaw(
        stack.bridge.origin,
        '/v1/chat/completions',
        { model: 'x', messages: [{ role: 'user', content: B }] },
        { token: stack.bridge.token, headers: { [SESSION_HEADER]: session } },
      );
      assert.equal(res.status, 404);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'session_not_found');
    }));
});

describe('session header on a slow streamed answer', () => {
  it('x-customgpt-session-id is still sent when keep-alive pings had to start first', () =>
    // On demand: the session is known only once its conversation is made (spares are known
    // before the question is sent).
    withStack({ bridge: { pingIntervalMs: 50, spareConversations: false } }, async (stack) => {
      stack.sim.injectFault({ kind: 'slow-first-byte', ms: 600, match: '/messages' });
      const res = await postRaw(
        stack.bridge.origin,
        '/v1/chat/completions',
        { model: 'x', stream: true, messages: [{ role: 'user', content: A }] },
        { token: stack.bridge.token },
      );
      const text = await res.text();
      assert.match(text, /^: ?ping/m, 'precondition: pings were sent before the answer');
      const created = stack.sim.requests.filter(isConversationCreate).length;
      assert.equal(created, 1, 'precondition: a conversation was opened');
      assert.ok(
        res.headers.get(SESSION_HEADER),
        'the extension reads the session from this header; a slow upstream must not lose it',
      );
    }));

  it('x-customgpt-session-id is still sent when opening the conversation outlasts a ping interval', () =>
    withStack({ bridge: { pingIntervalMs: 50, spareConversations: false } }, async (stack) => {
      // The conversation is created before the session exists: a ping must not commit the
      // headers before it does.
      stack.sim.injectFault({
        kind: 'slow-first-byte',
        ms: 400,
        match: '/conversations',
        times: 1,
      });
      const res = await postRaw(
        stack.bridge.origin,
        '/v1/chat/completions',
        { model: 'x', stream: true, messages: [{ role: 'user', content: A }] },
        { token: stack.bridge.token },
      );
      const text = await res.text();
      assert.equal(stack.sim.requests.filter(isConversationCreate).length, 1);
      assert.match(text, /^: ?ping/m, 'an overdue ping goes out as soon as the session is known');
      assert.match(text, /data: \[DONE\]/);
      assert.ok(res.headers.get(SESSION_HEADER), 'the session header survived the slow opening');
    }));
});
