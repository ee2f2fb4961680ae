// Bad input gets a clear 4xx (an OpenAI error body where HTTP still allows one), never a 5xx,
// a hang or a crash; the bridge answers the next request as if nothing happened.
// Guards: bridge/http/body.ts (415, 413 by content-length and by bytes read, strict UTF-8 400,
// JSON 400); bridge/chat/request.ts parseChatRequest (types, 400); bridge/server.ts
// createServer options (maxHeaderSize -> 431, requestTimeout/headersTimeout -> 408) and its
// 'clientError' handler (which turns those into HTTP answers instead of a dropped socket).
import assert from 'node:assert/strict';
import { chatBody, httpRequest, jsonHeaders, postChat } from './support/http';
import { bodyOf, collect, exchange, openSocket, sleep } from './support/socket';
import { assertHealthy, type Stack, startStack } from './support/stack';
import { classify, openAIError } from './support/wellformed';

const REQUEST_TIMEOUT_MS = 1000;
/** A generous bound for "the slow client was cut off": 15x the configured request timeout. */
const CUT_OFF_CAP_MS = 15 * REQUEST_TIMEOUT_MS;

describe('hardening: bad input', function () {
  this.timeout(60_000);
  let s: Stack;
  let port: number;
  let token: string;
  before(async () => {
    s = await startStack({ bridge: { requestTimeoutMs: REQUEST_TIMEOUT_MS } });
    port = s.bridge.port;
    token = s.bridge.token;
  });
  after(() => s.close());
  afterEach(() => assertHealthy(port));

  async function expect4xx(body: string | Buffer, status?: number) {
    const res = await httpRequest(port, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: jsonHeaders(token),
      body,
    });
    const outcome = classify(res.status, res.headers['content-type'], res.text);
    assert.equal(outcome.kind, 'error', `refused: ${String(body).slice(0, 80)}`);
    if (status) assert.equal(res.status, status, `${String(body).slice(0, 80)}: ${res.text}`);
    else assert.ok(res.status >= 400 && res.status < 500, `4xx, got ${res.status}: ${res.text}`);
    return res;
  }

  it('malformed JSON: 400 invalid_json', async () => {
    for (const text of ['{"messages":', '{messages: []}', "{'a':1}", '{"a":1}}', 'nul', '\u0000']) {
      const res = await expect4xx(text, 400);
      assert.equal(openAIError(JSON.parse(res.text)).code, 'invalid_json');
    }
    await expect4xx('', 400);
    await expect4xx('   \n ', 400);
  });

  it('wrong types: 400 naming the field', async () => {
    const user = { role: 'user', content: 'hi' };
    const cases: [unknown, string | null][] = [
      [[], null],
      [null, null],
      [42, null],
      ['a string', null],
      [{}, 'messages'],
      [{ messages: 'hi' }, 'messages'],
      [{ messages: {} }, 'messages'],
      [{ messages: [] }, 'messages'],
      [{ messages: [1] }, 'messages[0]'],
      [{ messages: [null] }, 'messages[0]'],
      [{ messages: [{ role: 5, content: 'x' }] }, 'messages[0].role'],
      [{ messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
      [
        { messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] },
        'messages[0].content[0].text',
      ],
      [
        { messages: [{ role: 'user', content: [{ type: 'image_url' }] }] },
        'messages[0].content[0].type',
      ],
      [{ messages: [{ role: 'user', content: [7] }] }, 'messages[0].content[0]'],
      [{ messages: [{ role: 'user' }] }, 'messages[0].content'],
      [{ messages: [{ role: 'assistant', content: 'x' }] }, 'messages'],
      [{ messages: [{ role: 'user', content: '   ' }] }, 'messages[0].content'],
      [{ messages: [user], stream: 'yes' }, 'stream'],
      [{ messages: [user], stream: 1 }, 'stream'],
      [{ messages: [user], stream: true, stream_options: 'x' }, 'stream_options'],
      [
        { messages: [user], stream: true, stream_options: { include_usage: 'y' } },
        'stream_options.include_usage',
      ],
    ];
    for (const [body, param] of cases) {
      const res = await expect4xx(JSON.stringify(body), 400);
      assert.equal(
        openAIError(JSON.parse(res.text)) && JSON.parse(res.text).error.param,
        param,
        JSON.stringify(body),
      );
    }
  });

  it('huge bodies: 413, declared or streamed (chunked), and nothing upstream', async () => {
    const before = s.sim.requests.length;
    const big = JSON.stringify({ ...chatBody(false), pad: 'x'.repeat(5 * 1024 * 1024) });
    await expect4xx(big, 413);
    // Chunked: no content-length to refuse early, so the limit must hold while reading.
    const socket = await openSocket(port);
    const answer = collect(socket, 15_000);
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const piece = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 24 && !socket.destroyed && socket.writable; i++) {
      socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
      await sleep(5);
    }
    const got = await answer;
    assert.equal(got.status, 413, got.text.slice(0, 300));
    openAIError(JSON.parse(bodyOf(got.text)));
    assert.equal(s.sim.requests.length, before, 'nothing upstream');
  });

  it('deeply nested JSON (100k and 1M levels): 4xx, no stack overflow', async () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    await expect4xx(nest(100_000), 400);
    await expect4xx(nest(1_000_000), 400);
    await expect4xx(`{"messages":${nest(100_000)}}`, 400);
    await expect4xx(`{"messages":[{"role":"user","content":${nest(100_000)}}]}`, 400);
    await expect4xx('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), 400);
    // Deep nesting in a field the bridge does not read must not crash it either.
    const res = await postChat(
      port,
      token,
      `{"messages":[{"role":"user","content":"hi"}],"metadata":${nest(100_000)}}`,
    );
    assert.ok(res.status < 500, `${res.status} ${res.text.slice(0, 200)}`);
  });

  it('invalid UTF-8: 400 invalid_encoding', async () => {
    const invalid = [
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.concat([
        Buffer.from('{"messages":[{"role":"user","content":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}]}'),
      ]),
      Buffer.concat([
        Buffer.from('{"messages":[{"role":"user","content":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}]}'),
      ]),
      Buffer.concat([
        Buffer.from('{"messages":[{"role":"user","content":"'),
        Buffer.from([0xf0, 0x9f, 0x98]),
        Buffer.from('"}]}'),
      ]),
    ];
    for (const body of invalid) {
      const res = await expect4xx(body, 400);
      assert.equal(openAIError(JSON.parse(res.text)).code, 'invalid_encoding');
    }
  });

  it('absurd headers: 431 for an oversized header or URL, 400 for garbage, never a crash', async () => {
    const host = `Host: 127.0.0.1:${port}\r\n`;
    const huge = await exchange(
      port,
      `GET /bridge/health HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    assert.equal(huge.status, 431, huge.text.slice(0, 200));
    openAIError(JSON.parse(bodyOf(huge.text)));
    let many = '';
    for (let i = 0; i < 3000; i++) many += `X-H${i}: v\r\n`;
    const lots = await exchange(port, `GET /bridge/health HTTP/1.1\r\n${host}${many}\r\n`);
    assert.equal(lots.status, 431, 'thousands of headers add up past the limit');
    const url = await exchange(port, `GET /${'u'.repeat(64 * 1024)} HTTP/1.1\r\n${host}\r\n`);
    assert.equal(url.status, 431, url.text.slice(0, 200));
    for (const garbage of [
      '\x00\x01\x02\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      `GET / HTTP/1.1\r\n${host}Bad Header\r\n\r\n`,
    ]) {
      const got = await exchange(port, garbage);
      assert.ok(got.status === 400 || got.status === 0, `garbage -> ${got.status}`);
    }
  });

  it('10,000 messages: an answer or a 4xx, and the bridge stays up', async () => {
    const messages = Array.from({ length: 10_000 }, (_, i) => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `turn ${i} about installing Acme Rocket`,
    }));
    messages.push({ role: 'user', content: 'How do I install Acme Rocket?' });
    for (const stream of [false, true]) {
      const res = await postChat(port, token, { stream, messages });
      const outcome = classify(res.status, res.headers['content-type'], res.text);
      if (outcome.kind === 'error')
        assert.ok(outcome.status < 500, `${outcome.status} ${outcome.message}`);
      else assert.ok(outcome.kind === 'completion' || outcome.kind === 'stream-done', outcome.kind);
    }
  });
});

// Each slow client meets a freshly started bridge, so the result does not depend on how long
// the bridge has been running (Node checks request timeouts on a timer started at listen).
describe('hardening: slow clients (request timeout)', function () {
  this.timeout(60_000);
  let s: Stack;
  let port: number;
  let token: string;
  beforeEach(async () => {
    s = await startStack({ bridge: { requestTimeoutMs: REQUEST_TIMEOUT_MS } });
    port = s.bridge.port;
    token = s.bridge.token;
  });
  afterEach(async () => {
    await assertHealthy(port);
    await s.close();
  });

  async function drip(head: string, piece: string) {
    const socket = await openSocket(port);
    const started = Date.now();
    const answer = collect(socket, CUT_OFF_CAP_MS);
    let closed = false;
    void answer.then(
      () => {
        closed = true;
      },
      () => {
        closed = true;
      },
    );
    socket.write(head);
    // One byte every 200 ms; the whole request would take minutes.
    for (let i = 0; i < CUT_OFF_CAP_MS / 200 && !closed; i++) {
      if (socket.writable) socket.write(piece);
      await sleep(200);
    }
    const got = await answer;
    return { ...got, ms: got.closedAt - started };
  }

  it('a slow-drip body gets 408 and the connection is closed', async () => {
    const got = await drip(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
      ' ',
    );
    assert.equal(got.status, 408, `after ${got.ms} ms: ${got.text.slice(0, 200)}`);
    openAIError(JSON.parse(bodyOf(got.text)));
  });

  it('slow-drip headers get 408 too', async () => {
    const got = await drip(
      `GET /bridge/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `,
      'a',
    );
    assert.equal(got.status, 408, `after ${got.ms} ms: ${got.text.slice(0, 200)}`);
  });
});
