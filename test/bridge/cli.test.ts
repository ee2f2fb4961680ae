// The CLI end to end (node dist/bridge.js): the ready line, demo mode with no key, the token
// from CUSTOMGPT_BRIDGE_TOKEN, refusing non-loopback hosts, never printing the key, and graceful
// shutdown on SIGTERM/SIGINT.
import assert from 'node:assert/strict';
import { AuthenticationError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { startSimulator } from '../../bridge/simulator/index.js';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import { buildOnce, type CliRun, cleanEnv, runCli, stop } from './cli-harness.js';
import {
  assertOpenAIError,
  CITED_PROMPT,
  postRaw,
  readOpenAIError,
  type Simulator,
  sdkClient,
} from './harness.js';
import { deltaContents, parseRawSse } from './raw-sse.js';

const ANSWER = answerFor(CITED_PROMPT).text;

async function streamAnswer(ready: { url: string; token: string }) {
  const stream = await sdkClient(ready, { maxRetries: 0 }).chat.completions.create({
    model: 'x',
    stream: true,
    messages: [{ role: 'user', content: CITED_PROMPT }],
  });
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

describe('CLI (dist/bridge.js)', function () {
  this.timeout(60_000);
  const runs: CliRun[] = [];
  const track = (run: CliRun) => {
    runs.push(run);
    return run;
  };

  before(function () {
    this.timeout(180_000);
    buildOnce();
  });
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((r) => stop(r, 'SIGKILL')));
  });

  it('--demo with no key: ready line, a cited streamed answer, SIGTERM -> exit 0', async () => {
    const run = track(runCli(['--demo', '--port', '0']));
    const ready = await run.ready;
    assert.equal(ready.event, 'ready');
    assert.equal(ready.mode, 'demo');
    assert.equal(ready.simulated, true);
    assert.equal(ready.project, '1001');
    assert.ok(Number.isInteger(ready.port) && ready.port > 0);
    assert.equal(ready.url, `http://127.0.0.1:${ready.port}/v1`);
    assert.ok(typeof ready.token === 'string' && ready.token.length >= 16);

    const chunks = await streamAnswer(ready);
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.ok(content.includes(ANSWER), `demo answer: ${content}`);
    const last = chunks[chunks.length - 1] as unknown as { citations?: unknown[] } | undefined;
    assert.ok(Array.isArray(last?.citations) && last.citations.length > 0, 'cited');

    const { code } = await stop(run);
    assert.equal(code, 0);
    const lines = run
      .stdout()
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.equal(lines.length, 1, `exactly one stdout line: ${run.stdout()}`);
  });

  it('counts usage tokens from the shipped encoding (dist/cl100k_base.txt)', async () => {
    const run = track(runCli(['--demo', '--port', '0']));
    const ready = await run.ready;
    const stream = await sdkClient(ready, { maxRetries: 0 }).chat.completions.create({
      model: 'x',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello world' }],
    });
    let usage: ChatCompletionChunk['usage'];
    for await (const c of stream) usage ??= c.usage;
    // 3 priming + 3 per message + "user" (1) + "Hello world" (2); zeros would mean no tokenizer.
    assert.equal(usage?.prompt_tokens, 9);
    assert.ok((usage?.completion_tokens ?? 0) > 0);
  });

  it('SIGINT also exits 0', async () => {
    const run = track(runCli(['--demo', '--port', '0']));
    await run.ready;
    const { code } = await stop(run, 'SIGINT');
    assert.equal(code, 0);
  });

  it('uses CUSTOMGPT_BRIDGE_TOKEN as the token', async () => {
    const token = 'env-token-0123456789abcdef';
    const run = track(
      runCli(['--demo', '--port', '0'], cleanEnv({ CUSTOMGPT_BRIDGE_TOKEN: token })),
    );
    const ready = await run.ready;
    assert.equal(ready.token, token);
    const models = await sdkClient({ url: ready.url, token }).models.list();
    assert.ok(
      models.data.some((m) => m.id === 'customgpt-1001'),
      'the demo project is listed',
    );
    await assert.rejects(
      sdkClient({ url: ready.url, token: 'not-the-token' }, { maxRetries: 0 }).models.list(),
      (err: unknown) => {
        const cause = (err as { cause?: unknown }).cause;
        assert.ok(
          err instanceof AuthenticationError,
          `AuthenticationError, got ${String(err)} (cause: ${String(cause)}); stderr: ${run.stderr()}`,
        );
        return true;
      },
    );
  });

  it('refuses a non-loopback --host with a message and a non-zero exit', async () => {
    const run = track(runCli(['--demo', '--port', '0', '--host', '0.0.0.0']));
    const { code } = await run.exited;
    assert.notEqual(code, 0);
    assert.ok(code !== null, 'exited on its own, not by a signal');
    assert.match(run.stderr(), /0\.0\.0\.0|loopback|127\.0\.0\.1/i, `stderr: ${run.stderr()}`);
    assert.equal(run.stdout().includes('"ready"'), false, 'no ready line');
  });

  it('--stdin-lifeline: exits 0 when its stdin closes (the parent died)', async () => {
    const run = track(runCli(['--demo', '--port', '0', '--stdin-lifeline']));
    await run.ready;
    run.child.stdin?.end();
    const { code, signal } = await run.exited;
    assert.equal(signal, null);
    assert.equal(code, 0);
  });

  it('a port already in use: a clear message and a non-zero exit', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const address = blocker.address();
    assert.ok(address && typeof address === 'object');
    try {
      const run = track(runCli(['--demo', '--port', String(address.port)]));
      const { code } = await run.exited;
      assert.ok(code !== null && code !== 0, `non-zero exit, got ${code}`);
      assert.match(run.stderr(), new RegExp(`${address.port}|in use`, 'i'));
      assert.equal(run.stdout().includes('"ready"'), false);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('an invalid flag value: a message and a non-zero exit', async () => {
    const run = track(runCli(['--demo', '--port', '0', '--upstream-mode', 'bogus']));
    const { code } = await run.exited;
    assert.ok(code !== null && code !== 0, `non-zero exit, got ${code}`);
    assert.match(run.stderr(), /upstream-mode|bogus/i);
  });

  describe('against a simulator upstream', () => {
    const KEY = 'sk-test-secret-123';
    let sim: Simulator;
    before(async () => {
      sim = await startSimulator({ apiKey: KEY, chunkDelayMs: 40, chunkSize: 8 });
    });
    after(() => sim.close());
    afterEach(() => sim.clearFaults());

    const args = () => ['--port', '0', '--project', '1001', '--upstream', sim.url];

    it('never prints the CustomGPT.ai key, on success or failure; logs are JSON on stderr', async () => {
      const run = track(runCli(args(), cleanEnv({ CUSTOMGPT_API_KEY: KEY })));
      const ready = await run.ready;
      assert.equal(ready.mode, 'native');
      assert.equal(ready.project, '1001');
      assert.notEqual(ready.simulated, true);
      const client = sdkClient(ready, { maxRetries: 0 });

      await client.chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: CITED_PROMPT }],
      });
      await streamAnswer(ready);
      for (const status of [401, 500, 429]) {
        sim.injectFault({ kind: 'status', status, times: 10 });
        await client.chat.completions
          .create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] })
          .catch(() => undefined);
        sim.clearFaults();
      }
      const quoting = JSON.stringify({
        status: 'error',
        url: 'x',
        data: { code: 500, message: `upstream choked on token ${KEY}` },
      });
      for (const status of [500, 401]) {
        sim.injectFault({
          kind: 'status',
          status,
          body: quoting,
          contentType: 'application/json',
          times: 10,
        });
        const res = await postRaw(
          ready.url.replace(/\/v1$/, ''),
          '/v1/chat/completions',
          { messages: [{ role: 'user', content: 'hi' }] },
          { token: ready.token },
        );
        assert.ok(!(await res.text()).includes(KEY), `the ${status} response never shows the key`);
        sim.clearFaults();
      }
      sim.injectFault({ kind: 'error-event', afterEvents: 2, message: `stream died near ${KEY}` });
      await streamAnswer(ready).catch(() => undefined);
      await postRaw(ready.url.replace(/\/v1$/, ''), '/v1/chat/completions', { messages: [] });

      const { code } = await stop(run);
      assert.equal(code, 0);
      assert.ok(!run.stdout().includes(KEY), 'stdout never shows the key');
      assert.ok(!run.stderr().includes(KEY), 'stderr never shows the key');
      assert.ok(!run.stderr().includes('test-secret'), 'not even part of it');
      for (const line of run
        .stderr()
        .split('\n')
        .filter((l) => l.trim() !== '')) {
        assert.doesNotThrow(() => JSON.parse(line), `stderr line is JSON: ${line}`);
      }
    });

    it('takes the project from CUSTOMGPT_PROJECT_ID', async () => {
      const run = track(
        runCli(
          ['--port', '0', '--upstream', sim.url],
          cleanEnv({ CUSTOMGPT_API_KEY: KEY, CUSTOMGPT_PROJECT_ID: '1002' }),
        ),
      );
      const ready = await run.ready;
      assert.equal(ready.project, '1002');
      const since = sim.requests.length;
      await sdkClient(ready, { maxRetries: 0 }).chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: CITED_PROMPT }],
      });
      const paths = sim.requests.slice(since).map((r) => r.path);
      assert.ok(
        paths.some((p) => p.startsWith('/api/v1/projects/1002/conversations')),
        paths.join(),
      );
    });

    it('honours --upstream-mode compat, --on-unsupported ignore and --citations field', async () => {
      const run = track(
        runCli(
          [
            ...args(),
            '--upstream-mode',
            'compat',
            '--on-unsupported',
            'ignore',
            '--citations',
            'field',
          ],
          cleanEnv({ CUSTOMGPT_API_KEY: KEY }),
        ),
      );
      const ready = await run.ready;
      assert.equal(ready.mode, 'compat');
      const since = sim.requests.length;
      const res = await sdkClient(ready, { maxRetries: 0 }).chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: CITED_PROMPT }],
        response_format: { type: 'json_object' },
      });
      assert.ok(res.choices[0]?.message.content?.includes(ANSWER));
      const paths = sim.requests.slice(since).map((r) => r.path);
      assert.ok(paths.includes('/api/v1/projects/1001/chat/completions'), paths.join());
    });

    it('graceful shutdown: an open stream finishes after SIGTERM, then exit 0', async () => {
      const run = track(runCli(args(), cleanEnv({ CUSTOMGPT_API_KEY: KEY })));
      const ready = await run.ready;
      const stream = await sdkClient(ready, { maxRetries: 0 }).chat.completions.create({
        model: 'x',
        stream: true,
        messages: [{ role: 'user', content: CITED_PROMPT }],
      });
      let content = '';
      let finish: string | null = null;
      let signalled = false;
      for await (const c of stream) {
        content += c.choices[0]?.delta.content ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
        if (!signalled && content.length > 0) {
          signalled = true;
          run.child.kill('SIGTERM');
        }
      }
      assert.ok(signalled);
      assert.equal(finish, 'stop', 'the stream finished normally');
      assert.ok(content.includes(ANSWER), 'the whole answer arrived');
      const { code } = await run.exited;
      assert.equal(code, 0);
    });

    it('one Ctrl-C delivered twice (terminal and npm) still lets an open stream finish', async () => {
      const run = track(runCli(args(), cleanEnv({ CUSTOMGPT_API_KEY: KEY })));
      const ready = await run.ready;
      const stream = await sdkClient(ready, { maxRetries: 0 }).chat.completions.create({
        model: 'x',
        stream: true,
        messages: [{ role: 'user', content: CITED_PROMPT }],
      });
      let content = '';
      let finish: string | null = null;
      let signalled = false;
      for await (const c of stream) {
        content += c.choices[0]?.delta.content ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
        if (!signalled && content.length > 0) {
          signalled = true;
          run.child.kill('SIGINT');
          setTimeout(() => run.child.kill('SIGINT'), 20);
        }
      }
      assert.equal(finish, 'stop', 'the stream finished normally');
      assert.ok(content.includes(ANSWER), 'the whole answer arrived');
      assert.equal((await run.exited).code, 0);
      assert.ok(!run.stderr().includes('exiting now'), 'not cut short');
    });

    describe('--upstream-timeout', () => {
      const streamed = (ready: { port: number; token: string }) =>
        postRaw(
          `http://127.0.0.1:${ready.port}`,
          '/v1/chat/completions',
          { model: 'x', stream: true, messages: [{ role: 'user', content: CITED_PROMPT }] },
          { token: ready.token },
        );

      it('no answer within the timeout, before any text: HTTP 504 after about that long', async () => {
        sim.injectFault({ kind: 'slow-first-byte', ms: 8000, match: '/messages', times: 1 });
        const run = track(
          runCli([...args(), '--upstream-timeout', '1'], cleanEnv({ CUSTOMGPT_API_KEY: KEY })),
        );
        const ready = await run.ready;
        const started = Date.now();
        const res = await streamed(ready);
        const elapsed = Date.now() - started;
        assert.equal(res.status, 504);
        const { body } = await readOpenAIError(res);
        assert.equal(body.error.code, 'upstream_timeout');
        assert.ok(elapsed >= 900 && elapsed < 5000, `answered after ${elapsed} ms`);
      });

      it('the answer stalls after it began: an SSE error event, then the end', async () => {
        sim.injectFault({ kind: 'stall', afterEvents: 3, times: 1 });
        const run = track(
          runCli([...args(), '--upstream-timeout', '1'], cleanEnv({ CUSTOMGPT_API_KEY: KEY })),
        );
        const ready = await run.ready;
        const started = Date.now();
        const res = await streamed(ready);
        assert.equal(res.status, 200);
        const sse = parseRawSse(await res.text());
        const elapsed = Date.now() - started;
        const last = JSON.parse(sse.data[sse.data.length - 1]!) as unknown;
        assert.equal(assertOpenAIError(last).error.code, 'upstream_timeout');
        assert.ok(!sse.data.includes('[DONE]'), 'no [DONE] after the error');
        assert.ok(deltaContents(sse).join('').length > 0, 'some text had arrived first');
        assert.ok(elapsed >= 900 && elapsed < 5000, `ended after ${elapsed} ms`);
      });
    });
  });
});
