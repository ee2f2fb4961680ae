// Every answered chat request reaches the activity channel, refused ones included: a tool that
// always sends `tools` gets 501, and the editor must be able to say so (issue 9, item 1).
// Also: GET /bridge/project gives the empty chat panel the project's name and example questions,
// and the channel's hello names the project.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { ActivityEvent, ProjectBody } from '../../bridge/protocol';
import { bearer, chatBody, httpRequest, postChat } from './support/http';
import { type Stack, startStack } from './support/stack';

/** Subscribes and collects events until `until` holds (or 10 s pass). */
function subscribe(s: Stack) {
  const events: ActivityEvent[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${s.bridge.port}/bridge/activity`, {
    headers: { authorization: bearer(s.bridge.token) },
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: WebSocket.RawData) => {
      events.push(JSON.parse(data.toString()) as ActivityEvent);
      if (events.length === 1) resolve();
    });
  });
  const waitFor = async <T extends ActivityEvent>(pick: (e: ActivityEvent) => e is T) => {
    for (let i = 0; i < 200; i++) {
      const hit = events.find(pick);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no matching event; got ${JSON.stringify(events)}`);
  };
  return { events, opened, waitFor, close: () => ws.close() };
}

type End = Extract<ActivityEvent, { type: 'end' }>;

describe('hardening: every answered request is recorded in the activity channel', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(() => s.close());

  it('a 501 for `tools` is recorded with the client and the parameter', async () => {
    const sub = subscribe(s);
    await sub.opened;
    const res = await postChat(
      s.bridge.port,
      s.bridge.token,
      { ...chatBody(true), tools: [{ type: 'function', function: { name: 'Bash' } }] },
      { 'user-agent': 'Continue/1.2.3' },
    );
    assert.equal(res.status, 501);
    const end = await sub.waitFor((e): e is End => e.type === 'end');
    sub.close();
    assert.equal(end.client, 'Continue/1.2.3');
    assert.equal(end.status, 501);
    assert.equal(end.param, 'tools');
    assert.equal(end.code, 'unsupported_parameter');
    assert.match(end.error ?? '', /tools/);
    assert.ok(
      !sub.events.some((e) => e.type === 'start'),
      'a refused request never started: no start event',
    );
  });

  it('a 400 validation error is recorded with its param', async () => {
    const sub = subscribe(s);
    await sub.opened;
    const res = await postChat(s.bridge.port, s.bridge.token, { model: 'x', messages: [] });
    assert.equal(res.status, 400);
    const end = await sub.waitFor((e): e is End => e.type === 'end');
    sub.close();
    assert.equal(end.status, 400);
    assert.equal(end.param, 'messages');
  });

  it('requests refused before any answer are recorded too: a wrong token, an unknown route, a body that is not JSON', async () => {
    const sub = subscribe(s);
    await sub.opened;
    const asTool = { 'user-agent': 'Cline/3.1' };
    const wrongToken = await postChat(s.bridge.port, 'not-the-token', chatBody(false), asTool);
    assert.equal(wrongToken.status, 401);
    const unknown = await httpRequest(s.bridge.port, {
      path: '/v1/embeddings',
      method: 'POST',
      headers: { authorization: bearer(s.bridge.token), ...asTool },
    });
    assert.equal(unknown.status, 404);
    const notJson = await httpRequest(s.bridge.port, {
      path: '/v1/chat/completions',
      method: 'POST',
      headers: {
        authorization: bearer(s.bridge.token),
        'content-type': 'application/json',
        ...asTool,
      },
      body: '{"messages": [',
    });
    assert.equal(notJson.status, 400);
    const ends = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        const got = sub.events.filter((e): e is End => e.type === 'end');
        if (got.length >= n) return got;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`expected ${n} end events; got ${JSON.stringify(sub.events)}`);
    };
    const [token, route, body] = await ends(3);
    sub.close();
    assert.deepEqual(
      [token?.status, route?.status, body?.status],
      [401, 404, 400],
      'each refusal is recorded, in order',
    );
    for (const e of [token, route, body]) assert.equal(e?.client, 'Cline/3.1');
    assert.equal(token?.code, 'invalid_api_key');
    assert.match(route?.error ?? '', /embeddings/);
    assert.ok(!JSON.stringify(sub.events).includes(s.bridge.token), 'the token is never broadcast');
  });

  it('the hello names the project; /bridge/project lists its example questions', async () => {
    const sub = subscribe(s);
    await sub.opened;
    sub.close();
    const hello = sub.events[0];
    assert.equal(hello?.type, 'hello');
    assert.equal(hello?.type === 'hello' && hello.projectName, 'Acme Rocket Docs');
    const res = await httpRequest(s.bridge.port, {
      path: '/bridge/project',
      headers: { authorization: bearer(s.bridge.token) },
    });
    assert.equal(res.status, 200);
    const body = JSON.parse(res.text) as ProjectBody;
    assert.equal(body.id, '1001');
    assert.equal(body.name, 'Acme Rocket Docs');
    assert.ok(body.exampleQuestions.includes('How do I install Acme Rocket?'), res.text);
    assert.equal(body.simulated, false);
    const anonymous = await httpRequest(s.bridge.port, { path: '/bridge/project' });
    assert.equal(anonymous.status, 401, 'the project route needs the token');
  });
});
