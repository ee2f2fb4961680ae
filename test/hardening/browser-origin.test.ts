// Browser pages: any page can fetch() or form-post to 127.0.0.1. Requests with an Origin that
// is not explicitly allowed (startBridge allowedOrigins, none by default) are refused, CORS
// preflights included; an allowed origin gets CORS headers; and a POST must be
// application/json, so a cross-site "simple" form post (text/plain, urlencoded, multipart)
// never reaches the upstream.
// Guards: bridge/http/guard.ts checkSource (the `origins` set, Origin branch), called in
// bridge/server.ts route() before preflight(); bridge/http/body.ts readJsonBody's Content-Type
// check (415).
import assert from 'node:assert/strict';
import { chatBody, httpRequest, jsonHeaders } from './support/http';
import { type Stack, startStack } from './support/stack';
import { classify, openAIError } from './support/wellformed';

const ALLOWED = 'http://allowed.example:3000';

const answerCalls = (s: Stack) => s.sim.requests.filter((r) => !r.path.endsWith('/settings'));

describe('hardening: browser origins and CORS', () => {
  let s: Stack;
  let open: Stack;
  before(async () => {
    s = await startStack({ bridge: { allowedOrigins: [ALLOWED] } });
    open = await startStack();
  });
  after(async () => {
    await s.close();
    await open.close();
  });

  const foreign = [
    'https://evil.example',
    'null',
    'http://127.0.0.1:8080',
    'http://localhost:5173',
    `${ALLOWED}.evil.example`,
    'http://allowed.example:3001',
    'https://allowed.example:3000',
    'vscode-webview://abc',
  ];

  it('refuses a foreign Origin with 403 on every route, token or not', async () => {
    const before = answerCalls(s).length;
    for (const origin of foreign) {
      for (const path of ['/bridge/health', '/bridge/info', '/v1/models']) {
        const res = await httpRequest(s.bridge.port, {
          path,
          headers: { origin, authorization: `Bearer ${s.bridge.token}` },
        });
        assert.equal(res.status, 403, `${path} from ${origin}`);
        assert.equal(openAIError(JSON.parse(res.text)).code, 'forbidden_origin');
        assert.equal(res.headers['access-control-allow-origin'], undefined);
      }
      const post = await httpRequest(s.bridge.port, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: jsonHeaders(s.bridge.token, { origin }),
        body: JSON.stringify(chatBody(false)),
      });
      assert.equal(post.status, 403, `POST from ${origin}`);
    }
    assert.equal(answerCalls(s).length, before, 'nothing reached the upstream');
  });

  it('by default (no allowedOrigins) every Origin is refused', async () => {
    for (const origin of [
      ALLOWED,
      'http://localhost:3000',
      `http://127.0.0.1:${open.bridge.port}`,
    ]) {
      const res = await httpRequest(open.bridge.port, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: jsonHeaders(open.bridge.token, { origin }),
        body: JSON.stringify(chatBody(false)),
      });
      assert.equal(res.status, 403, origin);
    }
  });

  it('refuses CORS preflights from foreign origins without CORS headers', async () => {
    for (const origin of foreign) {
      const res = await httpRequest(s.bridge.port, {
        method: 'OPTIONS',
        path: '/v1/chat/completions',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      assert.equal(res.status, 403, `preflight from ${origin}`);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      assert.equal(res.headers['access-control-allow-headers'], undefined);
    }
  });

  it('an allowed origin gets a preflight answer and CORS headers on the real request', async () => {
    for (const origin of [ALLOWED, `${ALLOWED}/`, ALLOWED.toUpperCase()]) {
      const pre = await httpRequest(s.bridge.port, {
        method: 'OPTIONS',
        path: '/v1/chat/completions',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      assert.equal(pre.status, 204, `preflight from ${origin}`);
      assert.equal(pre.headers['access-control-allow-origin'], origin);
      assert.match(String(pre.headers['access-control-allow-headers']), /authorization/);
      assert.match(String(pre.headers['access-control-allow-headers']), /content-type/);
    }
    const res = await httpRequest(s.bridge.port, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: jsonHeaders(s.bridge.token, { origin: ALLOWED }),
      body: JSON.stringify(chatBody(false)),
    });
    assert.equal(classify(res.status, res.headers['content-type'], res.text).kind, 'completion');
    assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
    assert.match(String(res.headers.vary), /origin/i);
    // An allowed origin still needs the token.
    const noToken = await httpRequest(s.bridge.port, {
      path: '/bridge/info',
      headers: { origin: ALLOWED },
    });
    assert.equal(noToken.status, 401);
  });

  it('a POST that is not application/json gets 415 and never reaches the upstream', async () => {
    const before = answerCalls(open).length;
    const body = JSON.stringify(chatBody(false));
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      'application/json-seq',
      'text/json',
      null,
    ]) {
      const res = await httpRequest(open.bridge.port, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${open.bridge.token}`, 'content-type': type },
        body,
      });
      assert.equal(res.status, 415, `Content-Type ${type}`);
      openAIError(JSON.parse(res.text));
    }
    assert.equal(answerCalls(open).length, before, 'the simulator received nothing');
    const ok = await httpRequest(open.bridge.port, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: jsonHeaders(open.bridge.token, {
        'content-type': 'application/json; charset=utf-8',
      }),
      body,
    });
    assert.equal(ok.status, 200, 'application/json with a charset is fine');
  });
});
