// Started exactly as README says (`node dist/bridge.js`), the bridge runs with its V8 flags:
// same pid, flags on its command line, its environment added (MALLOC_ARENA_MAX), the key still
// only in its environment (Linux /proc).
import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNTIME_ENV, RUNTIME_FLAGS } from '../../bridge/runtime-flags.js';
import { buildOnce, cleanEnv, runCli, stop } from './cli-harness.js';

describe('runtime flags of the CLI', function () {
  this.timeout(30_000);
  before(function () {
    if (process.platform !== 'linux' || !('execve' in process)) this.skip();
    buildOnce();
  });

  it('node dist/bridge.js re-executes itself with the flags, keeping pid and stdout', async () => {
    const key = 'sk-runtime-flags-test-51c2';
    const run = runCli(['--port', '0', '--log', 'warn'], cleanEnv({ CUSTOMGPT_API_KEY: key }));
    try {
      const ready = await run.ready;
      assert.equal(ready.event, 'ready');
      const cmdline = readFileSync(`/proc/${run.child.pid}/cmdline`, 'utf8').split('\0');
      for (const flag of RUNTIME_FLAGS) assert.ok(cmdline.includes(flag), cmdline.join(' '));
      assert.ok(!cmdline.join(' ').includes(key), 'the key is not on the command line');
      const environ = readFileSync(`/proc/${run.child.pid}/environ`, 'utf8');
      assert.ok(environ.includes(`CUSTOMGPT_API_KEY=${key}`), 'the key is still in the env');
      for (const [name, value] of Object.entries(RUNTIME_ENV)) {
        // A value in this environment is the user's and is kept.
        const expected = process.env[name] ?? value;
        assert.ok(environ.split('\0').includes(`${name}=${expected}`), `${name} is set`);
      }
    } finally {
      const { code } = await stop(run);
      assert.equal(code, 0, 'a clean exit on SIGTERM');
    }
  });

  describe('compile cache', () => {
    let home: string;
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'bridge-cc-'));
    });
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    // Node's own trace of its compile cache (NODE_DEBUG_NATIVE) says whether it was used.
    const start = async () => {
      const run = runCli(
        ['--demo', '--port', '0', '--log', 'warn'],
        cleanEnv({ XDG_CACHE_HOME: home, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' }),
      );
      await run.ready;
      await new Promise((r) => setTimeout(r, 300)); // the flush after the ready line
      const { code } = await stop(run);
      assert.equal(code, 0);
      return run.stderr();
    };

    it('the second start compiles the bridge from a private per-user cache', async () => {
      const first = await start();
      assert.match(first, /bridge-main\.js was not initialized/);
      const dir = join(home, 'customgpt-bridge', 'compile-cache');
      assert.equal(statSync(dir).mode & 0o777, 0o700, 'only this user can read or plant code');
      assert.ok(readdirSync(dir).length > 0);
      const second = await start();
      assert.match(second, /V8 code cache for CommonJS \S*dist\/bridge-main\.js was accepted/);
    });

    it('a cache folder that others can write to is not used', async () => {
      const dir = join(home, 'customgpt-bridge', 'compile-cache');
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
      const out = await start();
      assert.doesNotMatch(out, /\[compile cache\]/);
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});
