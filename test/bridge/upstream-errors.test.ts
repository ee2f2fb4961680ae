// Upstream failures before the first byte, mapped to OpenAI-shaped errors: 401 -> 401 (fix your
// CustomGPT.ai key), 404 -> 404 (names the project), 429 -> 429 + retry-after, other upstream
// failures -> 502, a timeout -> 504, no key -> how to set CUSTOMGPT_API_KEY. Never the key.
import assert from 'node:assert/strict';
import {
  APIError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import {
  assertOpenAIError,
  CITED_PROMPT,
  closedPort,
  countingFetch,
  type Fault,
  postRaw,
  readOpenAIError,
  requestsSince,
  type Stack,
  startStack,
  UPSTREAM_KEY,
  withStack,
} from './harness.js';

const BODY = { model: 'x', messages: [{ role: 'user', content: CITED_PROMPT }] };
/** Generous, so every upstream call a test makes meets the fault. */
const ALWAYS = 100;

interface MappingCase {
  name: string;
  fault: Fault;
  status: number;
  sdkClass: new (...args: never[]) => APIError;
  check?: (message: string, headers: Headers) => void;
}

const CASES: MappingCase[] = [
  {
    name: 'upstream 401',
    fault: { kind: 'status', status: 401 },
    status: 401,
    sdkClass: AuthenticationError,
    check: (message) => {
      assert.match(message, /CustomGPT\.ai/i, 'names CustomGPT.ai');
      assert.match(message, /key/i, 'says the key was rejected');
      assert.match(message, /CUSTOMGPT_API_KEY|Set API Key/i, 'says how to fix it');
    },
  },
  {
    name: 'upstream 404',
    fault: { kind: 'status', status: 404 },
    status: 404,
    sdkClass: NotFoundError,
    check: (message) => assert.match(message, /1001/, 'names the project'),
  },
  {
    name: 'upstream 429 with Retry-After',
    fault: { kind: 'status', status: 429, retryAfter: '7' },
    status: 429,
    sdkClass: RateLimitError,
    check: (_m, headers) => assert.equal(headers.get('retry-after'), '7'),
  },
  {
    name: 'upstream 429 without Retry-After',
    fault: { kind: 'status', status: 429 },
    status: 429,
    sdkClass: RateLimitError,
    check: (_m, headers) => {
      const seconds = Number(headers.get('retry-after'));
      assert.ok(Number.isFinite(seconds) && seconds > 0 && seconds <= 60, `retry-after ${seconds}`);
    },
  },
  {
    name: 'upstream 500',
    fault: { kind: 'status', status: 500 },
    status: 502,
    sdkClass: InternalServerError,
  },
  {
    name: 'upstream 503',
    fault: { kind: 'status', status: 503 },
    status: 502,
    sdkClass: InternalServerError,
  },
  {
    name: 'an nginx HTML 502 page',
    fault: { kind: 'html-502' },
    status: 502,
    sdkClass: InternalServerError,
  },
  {
    name: 'a connection reset before headers',
    fault: { kind: 'reset-before-headers' },
    status: 502,
    sdkClass: InternalServerError,
  },
  {
    name: 'an upstream 200 that is an HTML page (captive portal)',
    fault: {
      kind: 'status',
      status: 200,
      body: '<html><body>Please log in to the Wi-Fi</body></html>',
      contentType: 'text/html',
    },
    status: 502,
    sdkClass: InternalServerError,
  },
  {
    name: 'an upstream 401 whose message quotes the key',
    fault: {
      kind: 'status',
      status: 401,
      body: JSON.stringify({
        status: 'error',
        url: 'x',
        data: { code: 401, message: `API Token ${UPSTREAM_KEY} is either missing or invalid` },
      }),
      contentType: 'application/json',
    },
    status: 401,
    sdkClass: AuthenticationError,
  },
];

async function assertMapped(stack: Stack, c: Omit<MappingCase, 'fault'>): Promise<void> {
  const res = await postRaw(stack.bridge.origin, '/v1/chat/completions', BODY, {
    token: stack.bridge.token,
  });
  assert.equal(res.status, c.status, 'HTTP status');
  const { text, body } = await readOpenAIError(res);
  assert.ok(!text.includes(UPSTREAM_KEY), `the body never contains the upstream key: ${text}`);
  for (const [k, v] of res.headers) {
    assert.ok(!v.includes(UPSTREAM_KEY), `header ${k} never contains the upstream key`);
  }
  c.check?.(body.error.message, res.headers);

  const client = stack.client({ maxRetries: 0 });
  for (const stream of [false, true]) {
    let caught: unknown;
    try {
      const r = await client.chat.completions.create({
        ...BODY,
        messages: BODY.messages as never,
        stream,
      });
      if (stream) for await (const _ of r as AsyncIterable<unknown>) break;
    } catch (err) {
      caught = err;
    }
    assert.ok(
      caught instanceof c.sdkClass,
      `stream=${stream}: ${c.sdkClass.name}, got ${String(caught)}`,
    );
    assert.equal(
      (caught as APIError).status,
      c.status,
      `stream=${stream}: status before first byte`,
    );
    c.check?.((caught as APIError).message, (caught as APIError).headers ?? new Headers());
  }
}

describe('upstream error mapping', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ bridge: { pingIntervalMs: 60_000 } });
  });
  after(() => stack.close());
  afterEach(() => stack.sim.clearFaults());

  for (const c of CASES) {
    it(`${c.name} -> ${c.status}`, async () => {
      stack.sim.injectFault({ ...c.fault, times: ALWAYS });
      await assertMapped(stack, c);
    });
  }

  it('recovers once the upstream is healthy again', async () => {
    stack.sim.injectFault({ kind: 'status', status: 503, times: 1 });
    await postRaw(stack.bridge.origin, '/v1/chat/completions', BODY, { token: stack.bridge.token });
    stack.sim.clearFaults();
    const ok = await stack.client({ maxRetries: 0 }).chat.completions.create(BODY as never);
    assert.ok(ok);
  });

  it('a project the upstream does not know (path project) -> 404 naming it', async () => {
    const client = stack.client({
      maxRetries: 0,
      baseURL: `${stack.bridge.origin}/api/v1/projects/987654`,
    });
    await assert.rejects(
      client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
      (err: unknown) => {
        assert.ok(err instanceof NotFoundError, String(err));
        assert.match(err.message, /987654/);
        return true;
      },
    );
  });
});

describe('permanent upstream refusals are answered once, never retried', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ bridge: { pingIntervalMs: 60_000 } });
  });
  after(() => stack.close());
  afterEach(() => stack.sim.clearFaults());

  /** Sends BODY once through the official SDK with its default retries (2); counts the tries. */
  async function sendOnce(stream: boolean) {
    const counter = countingFetch();
    const since = stack.sim.requests.length;
    let caught: unknown;
    try {
      const r = await stack
        .client({ fetch: counter.fetch })
        .chat.completions.create({ ...BODY, messages: BODY.messages as never, stream });
      if (stream) for await (const _ of r as AsyncIterable<unknown>) break;
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof APIError, `an APIError, got ${String(caught)}`);
    return { err: caught, tries: counter.calls.length, upstream: requestsSince(stack.sim, since) };
  }

  for (const [upstream, expected] of [
    [405, 400],
    [409, 400],
    [410, 400],
    [415, 400],
    [413, 413],
  ] as const) {
    for (const stream of [false, true]) {
      it(`upstream ${upstream} -> ${expected}, sent exactly once (stream=${stream})`, async () => {
        stack.sim.injectFault({ kind: 'status', status: upstream, times: ALWAYS });
        const { err, tries, upstream: calls } = await sendOnce(stream);
        assert.equal(tries, 1, 'the SDK sent the request once: no retry');
        assert.equal(calls.length, 1, 'the upstream saw one call');
        assert.equal(err.status, expected);
        assert.equal(err.headers?.get('x-should-retry'), 'false');
        assert.match(err.message, new RegExp(`HTTP ${upstream}\\b`), 'names the upstream status');
        // Continue retries 429/502/503/504 and these types whatever the headers (WIRE.md).
        assert.ok(![429, 502, 503, 504].includes(err.status ?? 0));
        assert.ok(!['server_error', 'rate_limit_exceeded'].includes(String(err.type)), err.type);
        if (upstream === 413) {
          assert.match(err.message, /too long/i);
          assert.match(err.message, /new chat|shorten/i);
          assert.equal(err.code, 'context_length_exceeded');
        } else {
          assert.match(err.message, /not temporary|will not help/i);
        }
      });
    }
  }

  it('control: an upstream 500 is still retried by the SDK (the counter sees retries)', async () => {
    stack.sim.injectFault({ kind: 'status', status: 500, times: ALWAYS });
    const counter = countingFetch();
    await assert.rejects(
      stack.client({ fetch: counter.fetch, maxRetries: 1 }).chat.completions.create(BODY as never),
      (err: unknown) => err instanceof InternalServerError,
    );
    assert.equal(counter.calls.length, 2);
  });
});

describe('upstream unreachable or slow', () => {
  it('connection refused -> 502', async () => {
    const port = await closedPort();
    await withStack({ bridge: { upstream: `http://127.0.0.1:${port}` } }, (stack) =>
      assertMapped(stack, { name: 'refused', status: 502, sdkClass: InternalServerError }),
    );
  });

  it('no answer within upstreamTimeoutMs -> 504', () =>
    // The conversation made on demand is the call that times out (a spare is made at start,
    // and a JSON answer's own limit is longer: upstreamTimeoutMs + streamIdleTimeoutMs).
    withStack(
      {
        bridge: { upstreamTimeoutMs: 300, pingIntervalMs: 60_000, spareConversations: false },
      },
      async (stack) => {
        stack.sim.injectFault({ kind: 'slow-first-byte', ms: 4000, times: ALWAYS });
        await assertMapped(stack, { name: 'timeout', status: 504, sdkClass: InternalServerError });
      },
    ));

  it('no CustomGPT.ai key configured -> an error that says how to set CUSTOMGPT_API_KEY', () =>
    withStack({ bridge: { apiKey: undefined } }, async (stack) => {
      const since = stack.sim.requests.length;
      const res = await postRaw(stack.bridge.origin, '/v1/chat/completions', BODY, {
        token: stack.bridge.token,
      });
      assert.ok(res.status >= 400, `an error status, got ${res.status}`);
      const { body } = await readOpenAIError(res);
      assert.match(body.error.message, /CUSTOMGPT_API_KEY/);
      assert.ok(
        stack.sim.requests.slice(since).every((r) => !r.authorized),
        'no authorized upstream call was possible',
      );
    }));

  it('no project configured -> an error that says how to pick one; a path project still works', () =>
    withStack({ bridge: { project: undefined } }, async (stack) => {
      const res = await postRaw(stack.bridge.origin, '/v1/chat/completions', BODY, {
        token: stack.bridge.token,
      });
      assert.ok(res.status >= 400 && res.status < 600, `an error status, got ${res.status}`);
      const { body } = await readOpenAIError(res);
      assert.match(body.error.message, /CUSTOMGPT_PROJECT_ID|--project|project/i);
      const viaPath = await stack
        .client({ baseURL: `${stack.bridge.origin}/api/v1/projects/1001`, maxRetries: 0 })
        .chat.completions.create(BODY as never);
      assert.ok(viaPath);
    }));
});

describe('upstream error after keep-alive pings committed the stream', () => {
  it('becomes an SSE error event carrying the mapped message, then a clean end', () =>
    // The slow call is the conversation made on demand (no spare: made at start otherwise).
    withStack({ bridge: { pingIntervalMs: 50, spareConversations: false } }, async (stack) => {
      stack.sim.injectFault({
        kind: 'slow-first-byte',
        ms: 500,
        match: '/conversations',
        times: 1,
      });
      stack.sim.injectFault({ kind: 'status', status: 401, match: '/messages', times: 5 });
      const res = await postRaw(
        stack.bridge.origin,
        '/v1/chat/completions',
        { ...BODY, stream: true },
        { token: stack.bridge.token },
      );
      assert.equal(res.status, 200, 'committed by the pings');
      const text = await res.text();
      assert.match(text, /^: ?ping/m);
      const errors = text
        .split('\n')
        .filter((l) => l.startsWith('data: {"error"'))
        .map((l) => JSON.parse(l.slice(6)) as unknown);
      assert.equal(errors.length, 1, text);
      const { error } = assertOpenAIError(errors[0]);
      assert.match(error.message, /key/i);
      assert.ok(!text.includes(UPSTREAM_KEY));
    }));
});
