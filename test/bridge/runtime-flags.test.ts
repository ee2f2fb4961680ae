// Started exactly as README says (`node dist/bridge.js`), the bridge runs with its V8 flags:
// same pid, flags on its command line, the key still only in its environment (Linux /proc).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RUNTIME_FLAGS } from '../../bridge/runtime-flags.js';
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
    } finally {
      const { code } = await stop(run);
      assert.equal(code, 0, 'a clean exit on SIGTERM');
    }
  });
});
