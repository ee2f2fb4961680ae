// The local bearer token: required on every route but GET /bridge/health, compared in constant
// time, refused with a 401 OpenAI error that echoes neither the sent nor the real token.
// Guard: bridge/server.ts `deps.guard.checkToken(req)` in route() (before any routing), and
// bridge/http/guard.ts checkToken (sha256 digests compared with timingSafeEqual).
import assert from 'node:assert/strict';

import crypto = require('node:crypto');

import { bearer, chatBody, httpRequest, type RawRequest } from './support/http';
import { type Stack, startStack } from './support/stack';
import { openAIError } from './support/wellformed';

const ROUTES: RawRequest[] = [
  { method: 'POST', path: '/v1/chat/completions' },
  { method: 'POST', path: '/chat/completions' },
  { method: 'POST', path: '/api/v1/projects/1001/chat/completions' },
  { method: 'GET', path: '/v1/models' },
  { method: 'GET', path: '/models' },
  { method: 'GET', path: '/v1/models/customgpt-1001' },
  { method: 'POST', path: '/v1/responses' },
  { method: 'POST', path: '/responses' },
  { method: 'GET', path: '/v1/responses/resp_abc' },
  { method: 'GET', path: '/bridge/info' },
  { method: 'GET', path: '/bridge/projects?page=1' },
  // Unknown paths are refused before routing: no route enumeration without the token.
  { method: 'GET', path: '/v1/embeddings' },
  { method: 'DELETE', path: '/v1/chat/completions' },
  { method: 'HEAD', path: '/bridge/info' },
];

/** Upstream requests other than the settings lookup the bridge warms up at start. */
const upstreamWork = (s: Stack) => s.sim.requests.filter((r) => !r.path.endsWith('/settings'));

describe('hardening: local bearer token', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(() => s.close());

  const withBody = (r: RawRequest, headers: Record<string, string>): RawRequest => ({
    ...r,
    headers: { 'content-type': 'application/json', ...headers },
    body: r.method === 'POST' ? JSON.stringify(chatBody(false)) : undefined,
  });

  it('every route but /bridge/health answers 401 without a token, and nothing goes upstream', async () => {
    const before = upstreamWork(s).length;
    for (const route of ROUTES) {
      const res = await httpRequest(s.bridge.port, withBody(route, {}));
      assert.equal(res.status, 401, `${route.method} ${route.path}`);
      if (route.method !== 'HEAD') {
        const e = openAIError(JSON.parse(res.text));
        assert.equal(e.code, 'invalid_api_key');
      }
    }
    assert.equal(upstreamWork(s).length, before, 'no upstream call for unauthenticated requests');
    const health = await httpRequest(s.bridge.port, { path: '/bridge/health' });
    assert.equal(health.status, 200, 'health needs no token');
    assert.ok(!health.text.includes(s.bridge.token), 'health reveals nothing');
  });

  it('wrong tokens of every shape get the same 401, echoing neither token', async () => {
    const real = s.bridge.token;
    const wrong = [
      'x',
      `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`, // same length, last char differs
      `${real.startsWith('A') ? 'B' : 'A'}${real.slice(1)}`, // same length, first char differs
      `${real}x`, // the real token as a prefix
      real.slice(0, 16), // a prefix of the real token
      'w'.repeat(4000),
    ];
    const schemes = [
      `Basic ${real}`,
      `Token ${real}`,
      real,
      `Bearer${real}`,
      `Bearer ${real} ${real}`,
      'Bearer ',
    ];
    const messages = new Set<string>();
    for (const auth of [...wrong.map(bearer), ...schemes]) {
      const res = await httpRequest(s.bridge.port, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify(chatBody(false)),
      });
      assert.equal(res.status, 401, `refused: ${auth.slice(0, 30)}`);
      const e = openAIError(JSON.parse(res.text));
      messages.add(e.message);
      assert.ok(!res.text.includes(real), 'the 401 never reveals the real token');
      assert.ok(!res.text.includes(real.slice(0, 12)), 'not even a prefix of it');
      const sent = auth.replace(/^\S+ /, '');
      if (sent.length >= 4)
        assert.ok(!res.text.includes(sent), 'the 401 never echoes what was sent');
      assert.ok(!JSON.stringify(res.headers).includes(real.slice(0, 12)), 'nor do its headers');
    }
    assert.ok(messages.size <= 2, `one message for missing, one for wrong: ${[...messages]}`);
  });

  it('a token in the query string or a cookie does not count', async () => {
    const attempts: RawRequest[] = [
      { path: `/bridge/info?token=${s.bridge.token}`, headers: {} },
      { path: `/bridge/info?access_token=${s.bridge.token}`, headers: {} },
      { path: '/bridge/info', headers: { cookie: `token=${s.bridge.token}` } },
    ];
    for (const r of attempts) {
      const res = await httpRequest(s.bridge.port, r);
      assert.equal(res.status, 401, r.path);
    }
  });

  it('compares fixed-length digests with timingSafeEqual whatever the length sent', async () => {
    // A spy on node:crypto: the guard must reach timingSafeEqual with two equal-length buffers
    // (its sha256 digests) for every candidate, so the comparison time says nothing about how
    // many leading characters matched or how long the token is. `===` or an early length check
    // would never call it (or call it with unequal lengths) and fail here.
    const original = crypto.timingSafeEqual;
    const calls: [number, number][] = [];
    crypto.timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push([a.byteLength, b.byteLength]);
      return original(a, b);
    };
    try {
      const candidates = ['a', s.bridge.token.slice(0, 20), 'z'.repeat(1000), s.bridge.token];
      for (const token of candidates) {
        const res = await httpRequest(s.bridge.port, {
          path: '/bridge/info',
          headers: { authorization: bearer(token) },
        });
        assert.equal(res.status, token === s.bridge.token ? 200 : 401);
      }
    } finally {
      crypto.timingSafeEqual = original;
    }
    assert.equal(calls.length, 4, `one constant-time comparison per request: ${calls.length}`);
    for (const [a, b] of calls) assert.ok(a === b && a >= 32, `equal-length digests: ${a}/${b}`);
  });
});
