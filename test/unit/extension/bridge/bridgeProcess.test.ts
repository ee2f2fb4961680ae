import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { RUNTIME_ENV } from '../../../../bridge/runtime-flags';
import { spawnBridge } from '../../../../extension/bridge/bridgeProcess';
import { FAKE_BRIDGE, freePort, isAlive } from '../helpers';

function spawnFake(port: number, env: Record<string, string> = {}, readyTimeoutMs = 5000) {
  const stderr: string[] = [];
  const result = spawnBridge({
    execPath: process.execPath,
    script: FAKE_BRIDGE,
    args: ['--port', String(port), '--host', '127.0.0.1', '--stdin-lifeline'],
    secretEnv: { CUSTOMGPT_BRIDGE_TOKEN: 'token-123456', CUSTOMGPT_API_KEY: 'key-abcdef', ...env },
    port,
    readyTimeoutMs,
    onStderrLine: (line) => stderr.push(line),
  });
  return { result, stderr };
}

describe('bridge process', () => {
  it('starts the bridge, reads its ready line and stops it gracefully', async () => {
    const port = await freePort();
    const { result, stderr } = spawnFake(port);
    const outcome = await result;
    assert.equal(outcome.kind, 'ready');
    if (outcome.kind !== 'ready') return;
    assert.equal(outcome.ready.port, port);
    assert.equal(outcome.ready.token, 'token-123456');
    const pid = outcome.process.pid ?? 0;
    assert.ok(isAlive(pid));
    // Secrets arrive in the environment, never on the command line.
    const started = JSON.parse(stderr[0] ?? '{}') as { args: string[]; hasKey: boolean };
    assert.equal(started.hasKey, true);
    assert.ok(!started.args.join(' ').includes('key-abcdef'));
    const exit = await outcome.process.stop();
    assert.equal(exit.code, 0);
    assert.ok(!isAlive(pid));
  });

  it("gives the bridge its runtime environment on Linux; a value in VS Code's is kept", async function () {
    if (process.platform !== 'linux') this.skip();
    const saved = process.env.MALLOC_ARENA_MAX;
    process.env.MALLOC_ARENA_MAX = '3';
    try {
      const { result } = spawnFake(await freePort());
      const outcome = await result;
      assert.equal(outcome.kind, 'ready');
      if (outcome.kind !== 'ready') return;
      const environ = readFileSync(`/proc/${outcome.process.pid}/environ`, 'utf8').split('\0');
      await outcome.process.stop();
      for (const [name, value] of Object.entries(RUNTIME_ENV)) {
        const expected = name === 'MALLOC_ARENA_MAX' ? '3' : value;
        assert.ok(environ.includes(`${name}=${expected}`), `${name}=${expected}`);
      }
    } finally {
      if (saved === undefined) delete process.env.MALLOC_ARENA_MAX;
      else process.env.MALLOC_ARENA_MAX = saved;
    }
  });

  it('reports a taken port (exit code 3) as port-in-use', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const outcome = await spawnFake(port).result;
      assert.equal(outcome.kind, 'port-in-use');
      assert.match(outcome.kind === 'port-in-use' ? outcome.message : '', /customgpt\.port/);
    } finally {
      blocker.close();
    }
  });

  it('explains an early exit with the bridge error', async () => {
    const outcome = await spawnFake(await freePort(), { FAKE_BRIDGE_BEHAVIOR: 'exit-early' })
      .result;
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', /upstream URL is not valid/);
  });

  it('rejects a first line that is not a ready event', async () => {
    const outcome = await spawnFake(await freePort(), { FAKE_BRIDGE_BEHAVIOR: 'bad-ready' }).result;
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', /not JSON/);
  });

  it('gives up when no ready line arrives in time', async () => {
    const outcome = await spawnFake(await freePort(), { FAKE_BRIDGE_BEHAVIOR: 'silent' }, 500)
      .result;
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', /did not report ready/);
  });

  it('kills a bridge that ignores SIGTERM after the grace period', async function () {
    if (process.platform === 'win32') this.skip();
    const port = await freePort();
    const outcome = await spawnBridge({
      execPath: process.execPath,
      script: FAKE_BRIDGE,
      args: ['--port', String(port)],
      secretEnv: { CUSTOMGPT_BRIDGE_TOKEN: 'token-123456' },
      port,
      onStderrLine: () => undefined,
    });
    assert.equal(outcome.kind, 'ready');
    if (outcome.kind !== 'ready') return;
    const pid = outcome.process.pid ?? 0;
    // Make it deaf to SIGTERM by stopping it (SIGSTOP): only SIGKILL ends a stopped process.
    process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    const exit = await outcome.process.stop(300);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(Date.now() - started >= 250);
  });
});
