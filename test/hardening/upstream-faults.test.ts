// Upstream faults: every client gets a complete answer or a well-formed OpenAI error (JSON with
// its status before the stream commits; an SSE error event after), never a hang or a cut
// socket. Guards: bridge/upstream/client.ts (timeouts, status and network errors mapped in
// bridge/upstream/errors.ts), bridge/upstream/native.ts nativeEvents (missing finish = error),
// bridge/chat/handler.ts streamAnswer (pings, commit) and endWithError.
import assert from 'node:assert/strict';
import { startBridge } from '../../bridge/app';
import { closedPort } from '../support/ports';
import { chatBody, postChat } from './support/http';
import { assertHealthy, type Fault, type Stack, startStack, waitFor } from './support/stack';
import { classify, type Outcome, sseData } from './support/wellformed';

const MATCH = '/conversations';

interface Case {
  name: string;
  fault: Fault;
  /** The error code the client sees, or 'ok' for a complete answer. */
  expect: string;
  status?: number;
}

const CASES: Case[] = [
  {
    name: 'reset before headers',
    fault: { kind: 'reset-before-headers' },
    expect: 'upstream_unreachable',
    status: 502,
  },
  { name: 'HTML 502 page', fault: { kind: 'html-502' }, expect: 'upstream_error', status: 502 },
  {
    name: 'empty 500',
    fault: { kind: 'status', status: 500, body: '' },
    expect: 'upstream_error',
    status: 502,
  },
  {
    name: 'reset mid-stream',
    fault: { kind: 'drop-mid-stream', afterEvents: 3 },
    expect: 'upstream_stream_error',
    status: 502,
  },
  {
    name: 'stalled stream',
    fault: { kind: 'stall', afterEvents: 3 },
    expect: 'upstream_timeout',
    status: 504,
  },
  {
    name: 'malformed SSE event',
    fault: { kind: 'malformed-event', afterEvents: 3 },
    expect: 'upstream_stream_error',
    status: 502,
  },
  {
    name: 'error event',
    fault: { kind: 'error-event', afterEvents: 3 },
    expect: 'upstream_stream_error',
    status: 502,
  },
  { name: 'slow first byte', fault: { kind: 'slow-first-byte', ms: 600 }, expect: 'ok' },
];

function check(c: Case, stream: boolean, outcome: Outcome): void {
  const what = `${c.name} (${stream ? 'stream' : 'json'}): ${JSON.stringify(outcome).slice(0, 300)}`;
  if (c.expect === 'ok') {
    assert.equal(outcome.kind, stream ? 'stream-done' : 'completion', what);
    return;
  }
  if (outcome.kind === 'error') {
    assert.equal(outcome.code, c.expect, what);
    if (c.status) assert.equal(outcome.status, c.status, what);
  } else {
    assert.ok(stream && outcome.kind === 'stream-error', what);
    assert.equal(outcome.code, c.expect, what);
  }
  assert.ok(!outcome.message.includes('<'), `no HTML in the message: ${outcome.message}`);
}

describe('hardening: upstream faults', function () {
  this.timeout(30_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ bridge: { streamIdleTimeoutMs: 300, pingIntervalMs: 100 } });
    await waitFor(() => s.sim.requests.some((r) => r.path.endsWith('/settings')), 'warm-up');
  });
  after(() => s.close());
  afterEach(async () => {
    s.sim.clearFaults();
    await assertHealthy(s.bridge.port);
  });

  for (const c of CASES) {
    for (const stream of [false, true]) {
      it(`${c.name}, ${stream ? 'streaming' : 'non-streaming'}: ${c.expect}`, async () => {
        s.sim.injectFault({ ...c.fault, match: MATCH });
        const res = await postChat(s.bridge.port, s.bridge.token, chatBody(stream));
        const outcome = classify(res.status, res.headers['content-type'], res.text);
        check(c, stream, outcome);
        if (c.name === 'slow first byte' && stream) {
          const firstData = res.text.indexOf('data:');
          assert.ok(res.text.slice(0, firstData).includes(': ping'), 'keep-alive pings came first');
        }
      });
    }
  }

  it('429 with Retry-After: 429 rate_limit_exceeded relaying the delay', async () => {
    s.sim.injectFault({ kind: 'status', status: 429, retryAfter: '7', match: MATCH });
    const res = await postChat(s.bridge.port, s.bridge.token, chatBody(false));
    const outcome = classify(res.status, res.headers['content-type'], res.text);
    assert.equal(outcome.kind === 'error' && outcome.status, 429);
    assert.equal(res.headers['retry-after'], '7');
  });

  it('429 without Retry-After: 429 with a retry-after of its own', async () => {
    s.sim.injectFault({ kind: 'status', status: 429, match: MATCH });
    const res = await postChat(s.bridge.port, s.bridge.token, chatBody(true));
    const outcome = classify(res.status, res.headers['content-type'], res.text);
    assert.equal(outcome.kind === 'error' && outcome.status, 429);
    assert.match(String(res.headers['retry-after']), /^\d+$/);
  });

  it('429 with a garbage Retry-After: the client gets seconds or an HTTP date, not the garbage', async () => {
    for (const garbage of ['banana', '-1', '<script>', '99999999999999']) {
      s.sim.injectFault({ kind: 'status', status: 429, retryAfter: garbage, match: MATCH });
      const res = await postChat(s.bridge.port, s.bridge.token, chatBody(false));
      assert.equal(res.status, 429);
      const value = String(res.headers['retry-after']);
      const ok = /^\d{1,6}$/.test(value) || !Number.isNaN(Date.parse(value));
      assert.ok(ok, `Retry-After "${garbage}" relayed as "${value}"`);
    }
  });

  it('an upstream failure after pings committed the stream ends it with an error event', async () => {
    await s.close();
    s = await startStack({
      sim: { firstByteDelayMs: 400 },
      bridge: { streamIdleTimeoutMs: 300, pingIntervalMs: 100 },
    });
    s.sim.injectFault({ kind: 'status', status: 500, match: '/messages' });
    const res = await postChat(s.bridge.port, s.bridge.token, chatBody(true));
    const outcome = classify(res.status, res.headers['content-type'], res.text);
    assert.equal(outcome.kind, 'stream-error', JSON.stringify(outcome));
    assert.ok(res.text.startsWith(': ping'), 'pings first');
    assert.equal(sseData(res.text).length, 1, 'just the error event');
  });
});

describe('hardening: upstream unreachable', () => {
  it('connection refused: 502 upstream_unreachable, streaming or not', async () => {
    const port = await closedPort();
    const bridge = await startBridge({
      port: 0,
      project: '1001',
      upstream: `http://127.0.0.1:${port}`,
      apiKey: 'sk-unused-unused-unused',
      log: 'silent',
    });
    try {
      for (const stream of [false, true]) {
        const res = await postChat(bridge.port, bridge.token, chatBody(stream));
        const outcome = classify(res.status, res.headers['content-type'], res.text);
        assert.equal(outcome.kind, 'error', JSON.stringify(outcome));
        assert.equal(outcome.kind === 'error' && outcome.status, 502);
        assert.equal(outcome.kind === 'error' && outcome.code, 'upstream_unreachable');
      }
      await assertHealthy(bridge.port);
    } finally {
      await bridge.close();
    }
  });
});
