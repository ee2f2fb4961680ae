// The bridge applies its V8 flags itself (issue 13): which flags are missing, and the
// re-execution that adds them (with the environment carried over, never the command line).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyRuntimeFlags,
  FLAGS_APPLIED_ENV,
  missingEnv,
  missingFlags,
  RUNTIME_ENV,
  RUNTIME_FLAGS,
} from '../../../bridge/runtime-flags.js';

function fakeProcess(over: Omit<Partial<NodeJS.Process>, 'execve'> & { execve?: unknown }) {
  return {
    env: { CUSTOMGPT_API_KEY: 'secret-key-in-env' },
    execArgv: [],
    execPath: '/usr/bin/node',
    argv: ['/usr/bin/node', '/x/dist/bridge.js', '--port', '0'],
    ...over,
  } as unknown as NodeJS.Process;
}

describe('runtime flags', () => {
  it('missingFlags: all of them for a bare start, none when given (any spelling)', () => {
    assert.deepEqual(missingFlags([]), [...RUNTIME_FLAGS]);
    assert.deepEqual(
      missingFlags([
        '--max_semi_space_size=8',
        '--liftoff_only',
        '--heap_growing_percent=50',
        '--expose_gc',
      ]),
      [],
    );
    // A user's explicit opposite wins: it is not overridden by appending the flag after it.
    assert.deepEqual(
      missingFlags([
        '--max-semi-space-size=8',
        '--no-liftoff-only',
        '--heap-growing-percent=0',
        '--no-expose-gc',
      ]),
      [],
    );
    assert.deepEqual(missingFlags(['--stack-size=900', '--liftoff-only']), [
      '--max-semi-space-size=4',
      '--heap-growing-percent=20',
      '--expose-gc',
    ]);
  });

  it('re-executes with the missing flags, the same script and arguments, the key only in env', () => {
    const calls: [string, string[], NodeJS.ProcessEnv][] = [];
    const proc = fakeProcess({
      execArgv: ['--stack-size=900'],
      execve: (file: string, args: string[], env: NodeJS.ProcessEnv) => {
        calls.push([file, args, env]);
      },
    });
    applyRuntimeFlags(proc);
    assert.equal(calls.length, 1);
    const [file, args, env] = calls[0]!;
    assert.equal(file, '/usr/bin/node');
    assert.deepEqual(args, [
      '/usr/bin/node',
      '--stack-size=900',
      '--max-semi-space-size=4',
      '--liftoff-only',
      '--heap-growing-percent=20',
      '--expose-gc',
      '/x/dist/bridge.js',
      '--port',
      '0',
    ]);
    assert.equal(env[FLAGS_APPLIED_ENV], '1');
    assert.equal(env.CUSTOMGPT_API_KEY, 'secret-key-in-env');
    assert.ok(!args.join(' ').includes('secret-key-in-env'));
  });

  it('never twice, not when nothing is missing, not without execve', () => {
    let calls = 0;
    const execve = () => {
      calls++;
    };
    applyRuntimeFlags(fakeProcess({ execve, env: { [FLAGS_APPLIED_ENV]: '1' } }));
    applyRuntimeFlags(fakeProcess({ execve, execArgv: [...RUNTIME_FLAGS] }));
    applyRuntimeFlags(fakeProcess({}));
    // A debugger attached to the first process would be lost (the soak's inspector was).
    applyRuntimeFlags(fakeProcess({ execve, execArgv: ['--inspect=127.0.0.1:0'] }));
    assert.equal(calls, 0);
  });

  it('missingEnv: on Linux what the env lacks (a set value is kept), elsewhere nothing', () => {
    assert.deepEqual(missingEnv({}, 'linux'), { ...RUNTIME_ENV });
    assert.deepEqual(missingEnv({ MALLOC_ARENA_MAX: '4' }, 'linux'), {
      MALLOC_MMAP_THRESHOLD_: RUNTIME_ENV.MALLOC_MMAP_THRESHOLD_,
    });
    assert.deepEqual(missingEnv({ ...RUNTIME_ENV, MALLOC_ARENA_MAX: '4' }, 'linux'), {});
    assert.deepEqual(missingEnv({}, 'darwin'), {});
    assert.deepEqual(missingEnv({}, 'win32'), {});
  });

  it('on Linux, re-executes for the environment alone, keeping the flags and a value set', () => {
    const calls: [string, string[], NodeJS.ProcessEnv][] = [];
    const execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => {
      calls.push([file, args, env]);
    };
    applyRuntimeFlags(fakeProcess({ execve, platform: 'linux', execArgv: [...RUNTIME_FLAGS] }));
    assert.equal(calls.length, 1);
    const [, args, env] = calls[0]!;
    assert.deepEqual(args, ['/usr/bin/node', ...RUNTIME_FLAGS, '/x/dist/bridge.js', '--port', '0']);
    assert.equal(env.MALLOC_ARENA_MAX, '1');
    assert.equal(env.MALLOC_MMAP_THRESHOLD_, '8192');
    assert.equal(env.CUSTOMGPT_API_KEY, 'secret-key-in-env');
    assert.equal(env[FLAGS_APPLIED_ENV], '1');
    // Flags and environment both there (as the extension starts it): no re-execution.
    applyRuntimeFlags(
      fakeProcess({
        execve,
        platform: 'linux',
        execArgv: [...RUNTIME_FLAGS],
        env: { ...RUNTIME_ENV, MALLOC_ARENA_MAX: '2' },
      }),
    );
    // Flags missing, environment set by the user: theirs is kept.
    applyRuntimeFlags(fakeProcess({ execve, platform: 'linux', env: { MALLOC_ARENA_MAX: '2' } }));
    assert.equal(calls.length, 2);
    assert.equal(calls[1]![2].MALLOC_ARENA_MAX, '2');
  });

  it('a refused execve leaves the process running as is', () => {
    applyRuntimeFlags(
      fakeProcess({
        execve: () => {
          throw new Error('ENOSYS');
        },
      }),
    );
  });

  it('npm start passes every flag, so it starts without a re-execution (README says so)', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    const words = pkg.scripts.start.split(/\s+/);
    const script = words.indexOf('dist/bridge.js');
    assert.ok(script > 0, pkg.scripts.start);
    assert.deepEqual(missingFlags(words.slice(0, script)), [], pkg.scripts.start);
    for (const [name, value] of Object.entries(RUNTIME_ENV)) {
      assert.ok(words.includes(`${name}=\${${name}:-${value}}`), pkg.scripts.start);
    }
  });
});
