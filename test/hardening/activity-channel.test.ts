// The WebSocket activity channel (/bridge/activity): the same token, Host and Origin rules as
// HTTP, checked before the upgrade completes. Guards: bridge/server.ts 'upgrade' handler,
// `deps.guard.checkSource(req)` then `deps.guard.checkToken(req)` before activity.accept().
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { chatBody, postChat } from './support/http';
import { type Stack, startStack } from './support/stack';

const ALLOWED = 'http://allowed.example:3000';

type Attempt = { opened: true; messages: string[] } | { opened: false; status: number };

/** Connects, collects what arrives for `listenMs` (or until `until` holds), then closes. */
function attempt(
  url: string,
  headers: Record<string, string>,
  listenMs = 300,
  until?: (messages: string[]) => boolean,
): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: 5000 });
    const messages: string[] = [];
    ws.on('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', reject);
    ws.on('message', (data: WebSocket.RawData) => {
      messages.push(data.toString());
      if (until?.(messages)) ws.close();
    });
    ws.on('open', () => setTimeout(() => ws.close(), listenMs));
    ws.on('close', () => resolve({ opened: true, messages }));
  });
}

describe('hardening: WebSocket activity channel', () => {
  let s: Stack;
  let url: string;
  before(async () => {
    s = await startStack({ bridge: { allowedOrigins: [ALLOWED] } });
    url = `ws://127.0.0.1:${s.bridge.port}/bridge/activity`;
  });
  after(() => s.close());

  const auth = () => ({ authorization: `Bearer ${s.bridge.token}` });

  it('refuses an upgrade without the token, with a wrong one, or with it in the query', async () => {
    assert.deepEqual(await attempt(url, {}), { opened: false, status: 401 });
    assert.deepEqual(await attempt(url, { authorization: 'Bearer nope-nope-nope-nope' }), {
      opened: false,
      status: 401,
    });
    assert.deepEqual(await attempt(`${url}?token=${s.bridge.token}`, {}), {
      opened: false,
      status: 401,
    });
  });

  it('refuses a foreign Origin or a forged Host even with the token', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:5173']) {
      assert.deepEqual(await attempt(url, { ...auth(), origin }), { opened: false, status: 403 });
    }
    for (const host of ['evil.example', `evil.example:${s.bridge.port}`]) {
      assert.deepEqual(await attempt(url, { ...auth(), host }), { opened: false, status: 403 });
    }
  });

  it('accepts the token (with no Origin, or an allowed one) and says hello', async () => {
    for (const extra of [{}, { origin: ALLOWED }] as Record<string, string>[]) {
      const got = await attempt(url, { ...auth(), ...extra }, 2000, (m) => m.length > 0);
      assert.ok(got.opened, 'upgraded');
      const hello = JSON.parse(got.messages[0] ?? '{}') as { type?: string };
      assert.equal(hello.type, 'hello');
    }
  });

  it('a subscriber flooding the channel is cut off and the bridge keeps serving', async () => {
    const ws = new WebSocket(url, { headers: auth() });
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(64 * 1024)); // past the channel's 4 KiB maxPayload
    assert.equal(await closed, 1009, 'closed as "message too big"');
    const res = await postChat(s.bridge.port, s.bridge.token, chatBody(false));
    assert.equal(res.status, 200);
  });
});
