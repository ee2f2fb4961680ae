// Upstream HTTP and network failures mapped to OpenAI-shaped errors.
import assert from 'node:assert/strict';
import {
  DEFAULT_RETRY_AFTER_S,
  upstreamNetworkError,
  upstreamStatusError,
} from '../../../bridge/upstream/errors.js';

const envelope = (code: number, message: string) =>
  JSON.stringify({
    status: 'error',
    url: 'https://app.customgpt.ai/api/v1/projects/7',
    data: { code, message },
  });

const HTML =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>Bad Gateway</h1><script>x()</script></body></html>';

const fields = (e: {
  status: number;
  type: string;
  code: string | null;
  param: string | null;
  headers: Record<string, string>;
}) => ({ status: e.status, type: e.type, code: e.code, param: e.param, headers: e.headers });

describe('upstreamStatusError', () => {
  it('401 -> authentication_error with the upstream message quoted', () => {
    const e = upstreamStatusError(
      401,
      undefined,
      envelope(401, 'API Token is either missing or invalid'),
      '7',
    );
    assert.deepEqual(fields(e), {
      status: 401,
      type: 'authentication_error',
      code: 'customgpt_key_rejected',
      param: null,
      headers: {},
    });
    assert.ok(
      e.message.includes('CustomGPT.ai said: "API Token is either missing or invalid"'),
      e.message,
    );
    assert.ok(e.message.includes('CUSTOMGPT_API_KEY'), e.message);
  });

  it('403 -> permission_error naming the project', () => {
    const e = upstreamStatusError(403, undefined, envelope(403, 'Forbidden'), '7');
    assert.deepEqual(fields(e), {
      status: 403,
      type: 'permission_error',
      code: 'customgpt_forbidden',
      param: null,
      headers: {},
    });
    assert.ok(e.message.includes('project 7'), e.message);
  });

  it('404 -> not_found_error naming the project, (none) when unset', () => {
    const e = upstreamStatusError(404, undefined, envelope(404, 'Agent with id 7 not found'), '7');
    assert.deepEqual(fields(e), {
      status: 404,
      type: 'not_found_error',
      code: 'project_not_found',
      param: null,
      headers: {},
    });
    assert.ok(e.message.includes('project 7 was not found'), e.message);
    assert.ok(e.message.includes('"Agent with id 7 not found"'), e.message);
    assert.ok(upstreamStatusError(404, undefined, '', undefined).message.includes('(none)'));
  });

  it('429 passes Retry-After through', () => {
    const e = upstreamStatusError(429, '30', envelope(429, 'You have exhausted'), '7');
    assert.deepEqual(fields(e), {
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      param: null,
      headers: { 'retry-after': '30' },
    });
    assert.ok(e.message.includes('"You have exhausted"'), e.message);
  });

  it('429 without Retry-After -> the default', () => {
    assert.equal(DEFAULT_RETRY_AFTER_S, '5');
    const e = upstreamStatusError(429, undefined, '', '7');
    assert.deepEqual(e.headers, { 'retry-after': '5' });
  });

  it('429 with an empty or oversized Retry-After -> the default', () => {
    assert.deepEqual(upstreamStatusError(429, '', '', '7').headers, { 'retry-after': '5' });
    assert.deepEqual(upstreamStatusError(429, '9'.repeat(41), '', '7').headers, {
      'retry-after': '5',
    });
    assert.deepEqual(upstreamStatusError(429, '1\r\nx-evil: 1', '', '7').headers, {
      'retry-after': '5',
    });
  });

  it('429 passes an HTTP-date Retry-After through (openai-node accepts dates)', () => {
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    assert.deepEqual(upstreamStatusError(429, date, '', '7').headers, { 'retry-after': date });
  });

  for (const status of [400, 422]) {
    it(`${status} -> 400 upstream_rejected`, () => {
      const e = upstreamStatusError(status, undefined, envelope(status, 'Prompt too long'), '7');
      assert.deepEqual(fields(e), {
        status: 400,
        type: 'invalid_request_error',
        code: 'upstream_rejected',
        param: null,
        headers: {},
      });
      assert.ok(e.message.includes(`HTTP ${status}`), e.message);
      assert.ok(e.message.includes('"Prompt too long"'), e.message);
    });
  }

  for (const status of [405, 409, 410, 415]) {
    it(`${status} -> 400 upstream_rejected, x-should-retry: false, naming the status`, () => {
      const e = upstreamStatusError(status, undefined, envelope(status, 'Nope'), '7');
      assert.deepEqual(fields(e), {
        status: 400,
        type: 'invalid_request_error',
        code: 'upstream_rejected',
        param: null,
        headers: { 'x-should-retry': 'false' },
      });
      assert.ok(e.message.includes(`HTTP ${status}`), e.message);
      assert.ok(e.message.includes('"Nope"'), e.message);
      assert.match(e.message, /not temporary|will not help/);
    });
  }

  it('413 -> 413 context_length_exceeded: the conversation is too long, what to do', () => {
    const e = upstreamStatusError(413, undefined, '<html>413 Request Entity Too Large</html>', '7');
    assert.deepEqual(fields(e), {
      status: 413,
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      param: 'messages',
      headers: { 'x-should-retry': 'false' },
    });
    assert.match(e.message, /HTTP 413/);
    assert.match(e.message, /too long/);
    assert.match(e.message, /new chat/);
    assert.ok(!/[<>]/.test(e.message), e.message);
  });

  for (const status of [500, 501, 502, 503, 408, 418, 411]) {
    it(`${status} -> 502 server_error`, () => {
      const e = upstreamStatusError(status, undefined, envelope(status, 'Oops'), '7');
      assert.deepEqual(fields(e), {
        status: 502,
        type: 'server_error',
        code: 'upstream_error',
        param: null,
        headers: {},
      });
      assert.ok(e.message.includes(`HTTP ${status}`), e.message);
    });
  }

  for (const status of [401, 403, 404, 429, 400, 405, 409, 410, 413, 415, 500, 502, 503]) {
    it(`${status} with an HTML body: no HTML in the message`, () => {
      const e = upstreamStatusError(status, undefined, HTML, '7');
      assert.ok(!/[<>]/.test(e.message), e.message);
      assert.ok(!e.message.includes('Bad Gateway'), e.message);
      assert.ok(!e.message.includes('CustomGPT.ai said'), e.message);
    });
  }

  it('a plain-text or broken-JSON body adds no quote', () => {
    for (const body of ['Service Unavailable', '{"status":"error",', '', '   ']) {
      const e = upstreamStatusError(503, undefined, body, '7');
      assert.equal(
        e.message,
        'CustomGPT.ai answered with HTTP 503. This is usually temporary: retry in a moment.',
      );
    }
  });

  it('collapses whitespace and cuts the quoted detail to 300 characters', () => {
    const e = upstreamStatusError(
      500,
      undefined,
      envelope(500, `a\n\n  b\t${'x'.repeat(400)}`),
      '7',
    );
    const quoted = /said: "([^"]*)"/.exec(e.message)?.[1];
    assert.equal(quoted, `a b ${'x'.repeat(296)}`);
  });
});

describe('upstreamNetworkError', () => {
  const ORIGIN = 'https://app.customgpt.ai';

  for (const code of [
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
  ]) {
    it(`${code} -> 504 timeout_error`, () => {
      const err = Object.assign(new Error('timeout'), { code });
      const e = upstreamNetworkError(err, ORIGIN);
      assert.deepEqual(fields(e), {
        status: 504,
        type: 'timeout_error',
        code: 'upstream_timeout',
        param: null,
        headers: {},
      });
      assert.ok(e.message.includes(ORIGIN), e.message);
    });
  }

  it('an AbortSignal.timeout TimeoutError -> 504', () => {
    const err = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    assert.equal(upstreamNetworkError(err, ORIGIN).status, 504);
  });

  it('ECONNREFUSED -> 502 upstream_unreachable naming the code and origin', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const e = upstreamNetworkError(err, 'http://127.0.0.1:1');
    assert.deepEqual(fields(e), {
      status: 502,
      type: 'server_error',
      code: 'upstream_unreachable',
      param: null,
      headers: {},
    });
    assert.ok(e.message.includes('(ECONNREFUSED)'), e.message);
    assert.ok(e.message.includes('http://127.0.0.1:1'), e.message);
  });

  it('an Error without a code -> 502 with its message', () => {
    const e = upstreamNetworkError(new Error('socket hang up'), ORIGIN);
    assert.equal(e.status, 502);
    assert.ok(e.message.includes('(socket hang up)'), e.message);
  });

  it('a thrown non-Error -> 502 unknown error', () => {
    for (const thrown of ['boom', null, undefined, 42]) {
      const e = upstreamNetworkError(thrown, ORIGIN);
      assert.equal(e.status, 502);
      assert.equal(e.code, 'upstream_unreachable');
      assert.ok(e.message.includes('(unknown error)'), e.message);
    }
  });
});
