// The bundled bridge (dist/bridge.js, built with esbuild.mjs's undici-lazy-h2 plugin) loads
// undici's HTTP/2 client, and with it node:http2 and node:tls, only on the first TLS connection
// whose ALPN chose h2. Loaded at start they cost about 10 MB of idle RSS for nothing over an
// http: upstream (README, "Memory"). These tests run the built CLI, not the sources: the plugin
// only exists in the bundle.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasOpenssl, makeThrowawayCert } from '../../bench/tls-cert.js';
import type { ReadyLine } from '../../bridge/protocol.js';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import { startSimulator } from '../../bridge/simulator/server.js';
import { buildOnce, type CliRun, cleanEnv, runCli, stop } from './cli-harness.js';
import { CITED_PROMPT } from './harness.js';

/** A preload that writes the process's loaded built-in modules to MODULES_OUT when it exits. */
const PRELOAD = `process.on('exit', () => require('node:fs').writeFileSync(
  process.env.MODULES_OUT, JSON.stringify(process.moduleLoadList)));`;

/** One streamed question through the bridge; the answer's text. */
async function ask(ready: ReadyLine): Promise<string> {
  const res = await fetch(`${ready.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'customgpt',
      stream: true,
      messages: [{ role: 'user', content: CITED_PROMPT }],
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  let text = '';
  for (const line of (await res.text()).split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const chunk = JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] };
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  return text;
}

describe('the bundled bridge loads node:http2 only for an HTTP/2 upstream', function () {
  this.timeout(30_000);
  let dir: string;
  before(function () {
    if (!('moduleLoadList' in process)) this.skip();
    buildOnce();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-lazy-h2-'));
    writeFileSync(join(dir, 'preload.cjs'), PRELOAD);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the CLI with the preload; resolves with the built-in modules it had loaded at exit. */
  async function modulesAfter(
    args: string[],
    env: Record<string, string>,
    use: (run: CliRun, ready: ReadyLine) => Promise<void>,
  ): Promise<string[]> {
    const out = join(dir, 'modules.json');
    const run = runCli(
      args,
      cleanEnv({ ...env, MODULES_OUT: out, NODE_OPTIONS: `--require ${join(dir, 'preload.cjs')}` }),
    );
    try {
      await use(run, await run.ready);
    } finally {
      const { code } = await stop(run);
      assert.equal(code, 0, `a clean exit on SIGTERM\n${run.stderr()}`);
    }
    return JSON.parse(readFileSync(out, 'utf8')) as string[];
  }

  it('over http (demo mode): no node:http2, no node:tls, after a question too', async () => {
    const modules = await modulesAfter(
      ['--demo', '--port', '0', '--log', 'warn'],
      {},
      async (_, ready) => {
        assert.ok((await ask(ready)).includes(answerFor(CITED_PROMPT).text));
      },
    );
    assert.ok(modules.includes('NativeModule http'), 'the list is from the bridge process');
    assert.ok(!modules.includes('NativeModule http2'), 'node:http2 is not loaded');
    assert.ok(!modules.includes('NativeModule tls'), 'node:tls is not loaded');
  });

  (hasOpenssl() ? describe : describe.skip)('over https: with h2 offered', () => {
    it('the bundled bridge speaks HTTP/2 to the upstream, loading its H2 client then', async () => {
      const cert = makeThrowawayCert();
      const sim = await startSimulator({
        tls: { cert: cert.cert, key: readFileSync(cert.keyFile, 'utf8') },
        http2: true,
      });
      try {
        const modules = await modulesAfter(
          ['--port', '0', '--log', 'warn', '--upstream', sim.url, '--project', '1001'],
          { CUSTOMGPT_API_KEY: sim.apiKey, NODE_EXTRA_CA_CERTS: cert.certFile },
          async (_, ready) => {
            assert.ok((await ask(ready)).includes(answerFor(CITED_PROMPT).text));
          },
        );
        assert.ok(modules.includes('NativeModule http2'));
        const versions = new Set(sim.requests.map((r) => r.httpVersion));
        assert.deepEqual([...versions], ['2.0']);
      } finally {
        await sim.close();
        cert.remove();
      }
    });
  });
});
