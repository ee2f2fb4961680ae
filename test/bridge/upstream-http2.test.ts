// HTTP/2 to the upstream: the simulator's --http2 mode (node:http2 over TLS, HTTP/1.1 by ALPN
// for clients that do not offer h2) and the bridge's upstreamHttp2 switch (on by default, as in
// undici; --no-upstream-http2 keeps to HTTP/1.1). The simulator's certificate is a throwaway
// one (bench/tls-cert.ts, the openssl CLI), trusted in this process only for these tests
// through tls.setDefaultCACertificates (Node >= 22.15); without either, the suite is skipped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { Pool } from 'undici';
import { hasOpenssl, makeThrowawayCert, type ThrowawayCert } from '../../bench/tls-cert.js';
import { parseCliArgs } from '../../bridge/simulator/args.js';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import { startSimulator } from '../../bridge/simulator/server.js';
import { CITED_PROMPT, type Stack, waitFor, withStack } from './harness.js';

const tlsCa = tls as typeof tls & {
  setDefaultCACertificates?: (certs: string[]) => void;
  getCACertificates?: (type: 'default') => string[];
};
const canRun = hasOpenssl() && typeof tlsCa.setDefaultCACertificates === 'function';

const MESSAGES = [{ role: 'user' as const, content: CITED_PROMPT }];

describe('simulator --http2 flag', () => {
  it('needs --tls-cert; with it, http2 is set', () => {
    assert.deepEqual(parseCliArgs(['--http2'], {}), { error: '--http2 needs --tls-cert' });
    const parsed = parseCliArgs(
      ['--http2', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'],
      {},
      (p) => `PEM ${p}`,
    );
    assert.ok('options' in parsed);
    assert.equal(parsed.options.http2, true);
    assert.deepEqual(parsed.options.tls, { cert: 'PEM c.pem', key: 'PEM k.pem' });
  });
});

(canRun ? describe : describe.skip)('HTTP/2 to the upstream', () => {
  let cert: ThrowawayCert;
  let key: string;
  let defaults: string[];
  before(() => {
    cert = makeThrowawayCert();
    key = readFileSync(cert.keyFile, 'utf8');
    defaults = tlsCa.getCACertificates!('default');
    tlsCa.setDefaultCACertificates!([...defaults, cert.cert]);
  });
  after(() => {
    tlsCa.setDefaultCACertificates!(defaults);
    cert.remove();
  });
  const simTls = () => ({ tls: { cert: cert.cert, key }, http2: true });

  async function versionsOf(pool: Pool, url: string, apiKey: string, n: number) {
    const headers = { authorization: `Bearer ${apiKey}` };
    const answers = await Promise.all(
      Array.from({ length: n }, () =>
        pool.request({ method: 'GET', path: '/api/v1/projects', headers }),
      ),
    );
    for (const a of answers) {
      assert.equal(a.statusCode, 200, url);
      await a.body.text();
    }
  }

  it('the simulator speaks h2 to a client that offers it, HTTP/1.1 to one that does not', async () => {
    const sim = await startSimulator({ ...simTls(), connectDelayMs: 20 });
    try {
      assert.match(sim.url, /^https:/);
      const h2 = new Pool(sim.url, { allowH2: true });
      const h1 = new Pool(sim.url, { allowH2: false });
      try {
        const started = performance.now();
        await versionsOf(h2, sim.url, sim.apiKey, 4);
        assert.ok(performance.now() - started >= 19, 'the connect delay applies over HTTP/2 too');
        assert.equal(h2.stats.connected, 1, 'four requests at once share one HTTP/2 connection');
        await versionsOf(h1, sim.url, sim.apiKey, 2);
      } finally {
        await Promise.all([h2.destroy(), h1.destroy()]);
      }
      assert.deepEqual(
        sim.requests.map((r) => r.httpVersion),
        ['2.0', '2.0', '2.0', '2.0', '1.1', '1.1'],
      );
    } finally {
      await sim.close();
    }
  });

  it('a reset fault cuts one HTTP/2 stream; the connection serves the others', async () => {
    const sim = await startSimulator(simTls());
    const pool = new Pool(sim.url, { allowH2: true });
    try {
      await versionsOf(pool, sim.url, sim.apiKey, 1);
      sim.injectFault({ kind: 'reset-before-headers', match: '/projects/1001', times: 1 });
      const headers = { authorization: `Bearer ${sim.apiKey}` };
      const [cut, fine] = await Promise.allSettled([
        pool.request({ method: 'GET', path: '/api/v1/projects/1001', headers }),
        pool.request({ method: 'GET', path: '/api/v1/projects', headers }),
      ]);
      assert.equal(cut.status, 'rejected');
      assert.equal(fine.status, 'fulfilled');
      if (fine.status === 'fulfilled') {
        assert.equal(fine.value.statusCode, 200);
        await fine.value.body.text();
      }
      assert.equal(pool.stats.connected, 1);
    } finally {
      await pool.destroy();
      await sim.close();
    }
  });

  it('close() ends a simulator with a stalled HTTP/2 stream open', async () => {
    const sim = await startSimulator(simTls());
    const pool = new Pool(sim.url, { allowH2: true });
    sim.injectFault({ kind: 'stall', afterEvents: 1 });
    const res = await pool.request({
      method: 'POST',
      path: '/api/v1/projects/1001/chat/completions?stream=true',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: MESSAGES, stream: true }),
    });
    assert.equal(res.statusCode, 200);
    res.body.on('error', () => undefined).resume();
    await waitFor(() => sim.openStreams() === 1, 'the stream is open');
    await sim.close();
    await pool.destroy().catch(() => undefined);
  });

  async function streamedAnswer(stack: Stack) {
    const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
      model: 'x',
      messages: MESSAGES,
      stream: true,
    });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    return content;
  }

  for (const mode of ['native', 'compat'] as const) {
    it(`the bridge (${mode}) talks HTTP/2 to an upstream that offers it, by default`, () =>
      withStack({ sim: simTls(), bridge: { upstreamMode: mode } }, async (stack) => {
        assert.ok((await streamedAnswer(stack)).includes(answerFor(CITED_PROMPT).text));
        const versions = new Set(stack.sim.requests.map((r) => r.httpVersion));
        assert.deepEqual([...versions], ['2.0']);
      }));
  }

  it('--no-upstream-http2 (upstreamHttp2: false) keeps the bridge on HTTP/1.1', () =>
    withStack({ sim: simTls(), bridge: { upstreamHttp2: false } }, async (stack) => {
      assert.ok((await streamedAnswer(stack)).includes(answerFor(CITED_PROMPT).text));
      const versions = new Set(stack.sim.requests.map((r) => r.httpVersion));
      assert.deepEqual([...versions], ['1.1']);
    }));

  it('over HTTP/2, a stream cut mid-answer ends as an error and the next question works', () =>
    withStack({ sim: simTls() }, async (stack) => {
      stack.sim.injectFault({ kind: 'drop-mid-stream', afterEvents: 2, times: 1 });
      await assert.rejects(streamedAnswer(stack));
      assert.ok((await streamedAnswer(stack)).includes(answerFor(CITED_PROMPT).text));
    }));

  it('over HTTP/2, a client that goes away aborts the upstream stream', () =>
    withStack({ sim: simTls(), bridge: { streamIdleTimeoutMs: 120_000 } }, async (stack) => {
      stack.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
        model: 'x',
        messages: MESSAGES,
        stream: true,
      });
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
      await waitFor(
        () => stack.sim.streams.some((s) => s.outcome === 'client-aborted'),
        "the simulator saw the bridge abort its stream ('client-aborted')",
      );
    }));

  it('over HTTP/2, a stalled upstream stream ends at streamIdleTimeoutMs', () =>
    withStack({ sim: simTls(), bridge: { streamIdleTimeoutMs: 300 } }, async (stack) => {
      stack.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      await assert.rejects(streamedAnswer(stack));
      await waitFor(
        () => stack.sim.streams.every((s) => s.endedAt !== undefined),
        'the stalled upstream stream is closed by the bridge',
      );
    }));
});
