// DNS rebinding: a page on evil.example re-points its name at 127.0.0.1 and calls the bridge
// "same-origin", so its requests carry Host: evil.example[:PORT]. Only 127.0.0.1:PORT,
// localhost:PORT and [::1]:PORT are answered; everything else is a 403 before any work, the
// token notwithstanding. Guard: bridge/http/guard.ts checkSource (the `hosts` set filled by
// listeningOn), called first thing in bridge/server.ts route() and in the 'upgrade' handler.
import assert from 'node:assert/strict';
import { chatBody, httpRequest, jsonHeaders } from './support/http';
import { exchange } from './support/socket';
import { type Stack, startStack } from './support/stack';
import { openAIError } from './support/wellformed';

describe('hardening: DNS rebinding (Host header)', () => {
  let s: Stack;
  let port: number;
  before(async () => {
    s = await startStack();
    port = s.bridge.port;
  });
  after(() => s.close());

  const forged = () => [
    'evil.example',
    `evil.example:${port}`,
    `127.0.0.1.nip.io:${port}`,
    `localhost.evil.example:${port}`,
    `127.0.0.1:${port + 1}`,
    `localhost:${port === 65535 ? 1 : port + 1}`,
    '127.0.0.1',
    'localhost',
    '[::1]',
    `127.1:${port}`,
    `2130706433:${port}`,
    `0.0.0.0:${port}`,
    `127.0.0.1:${port}.evil.example`,
    `evil.example:${port}@127.0.0.1:${port}`,
  ];

  it('refuses every forged Host with 403, even with the right token, on every route', async () => {
    const answerCalls = () => s.sim.requests.filter((r) => !r.path.endsWith('/settings')).length;
    const before = answerCalls();
    for (const host of forged()) {
      for (const r of [
        { method: 'GET', path: '/bridge/health', headers: { host } },
        { method: 'GET', path: '/bridge/info', headers: { ...jsonHeaders(s.bridge.token), host } },
        {
          method: 'POST',
          path: '/v1/chat/completions',
          headers: { ...jsonHeaders(s.bridge.token), host, origin: `http://${host}` },
          body: JSON.stringify(chatBody(false)),
        },
      ]) {
        const res = await httpRequest(port, r);
        assert.equal(res.status, 403, `${r.method} ${r.path} with Host: ${host}`);
        assert.equal(openAIError(JSON.parse(res.text)).code, 'forbidden_host');
        assert.equal(res.headers['access-control-allow-origin'], undefined, 'no CORS grant');
      }
    }
    assert.equal(answerCalls(), before, 'nothing reached the upstream');
  });

  it('a request without any Host header is refused (HTTP/1.1: 400, HTTP/1.0: 403)', async () => {
    const v11 = await exchange(
      port,
      `GET /bridge/info HTTP/1.1\r\nAuthorization: Bearer ${s.bridge.token}\r\n\r\n`,
    );
    assert.ok([400, 403].includes(v11.status), `HTTP/1.1 without Host: ${v11.status}`);
    const v10 = await exchange(
      port,
      `GET /bridge/info HTTP/1.0\r\nAuthorization: Bearer ${s.bridge.token}\r\n\r\n`,
    );
    assert.equal(v10.status, 403, `HTTP/1.0 without Host: ${v10.text.slice(0, 200)}`);
  });

  it('accepts 127.0.0.1:PORT, localhost:PORT (any case) and [::1]:PORT', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LocalHost:${port}`,
      `[::1]:${port}`,
    ]) {
      const res = await httpRequest(port, {
        path: '/bridge/info',
        headers: { host, authorization: `Bearer ${s.bridge.token}` },
      });
      assert.equal(res.status, 200, `Host: ${host}`);
    }
  });
});
