// `npm start` stops cleanly (issue 8, item 8): SIGTERM or SIGINT to the npm process stops the
// bridge it started, and the port is free again. (The start script used to run the bridge under
// `sh -c "build && node ..."`: the shell died of the signal and the bridge, orphaned to PID 1,
// kept serving the port.)
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { ReadyLine } from '../../bridge/protocol.js';
import { cleanEnv, REPO_ROOT } from '../support/bridge-cli.js';
import { waitFor } from './harness.js';

/** npm itself: the one running this test when there is one, else the npm on PATH. */
function spawnNpmStart(args: string[]): ChildProcess {
  const npmCli = process.env.npm_execpath;
  const [command, prefix] =
    npmCli?.endsWith('.js') === true ? [process.execPath, [npmCli]] : ['npm', []];
  return spawn(command, [...prefix, 'start', '--', ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** npm prints its own banner first; the bridge's ready line is the JSON one. */
function readyFrom(child: ChildProcess): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{"event":"ready"'));
      if (line) resolve(JSON.parse(line) as ReadyLine);
    });
    child.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) before ready:\n${out}\n${err}`)),
    );
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', function () {
  this.timeout(120_000);
  const started: number[] = [];
  after(() => {
    // Whatever happened, nothing this suite started outlives it.
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to npm stops the bridge and frees its port`, async () => {
      const npm = spawnNpmStart(['--port', '0']);
      started.push(npm.pid!);
      const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
      const ready = await readyFrom(npm);
      assert.equal(ready.mode, 'demo');
      const info = (await (
        await fetch(`http://127.0.0.1:${ready.port}/bridge/info`, {
          headers: { authorization: `Bearer ${ready.token}` },
        })
      ).json()) as { pid: number };
      started.push(info.pid);
      assert.notEqual(info.pid, npm.pid, 'the bridge is a process of its own');

      npm.kill(signal);
      await waitFor(() => npm.exitCode !== null || npm.signalCode !== null, 'npm to exit', 15_000);
      await exited;
      await waitFor(() => !alive(info.pid), `the bridge (pid ${info.pid}) to exit`, 15_000);
      assert.equal(await portAcceptsConnections(ready.port), false, 'the port is released');
    });
  }
});
