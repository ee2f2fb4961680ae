// Child processes of the e2e suite: each starts in its own process group (setsid) so stopping it
// also stops whatever it spawned (code-server leaves helpers behind otherwise), and every wait
// is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Started {
  child: ChildProcess;
  /** Every line the process printed on stdout and stderr, also mirrored to its log file. */
  lines: string[];
  exited: Promise<number | null>;
}

export interface StartOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}

/**
 * Process groups still running. Detached groups do not get the terminal's Ctrl-C, so if the
 * suite is interrupted (or exits without its `after` hook) they are killed here, synchronously.
 */
const liveGroups = new Set<number>();

const exitCleanups: (() => void)[] = [];

/** Synchronous clean-up for an interrupted run (temp dirs); harmless after a normal stop. */
export function atExit(cleanup: () => void): void {
  exitCleanups.push(cleanup);
}

function killLiveGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  for (const cleanup of exitCleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // best effort: the process is exiting
    }
  }
}

process.once('exit', killLiveGroups);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiveGroups();
    process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15));
  });
}

export function startGroup(options: StartOptions): Started {
  const log = createWriteStream(options.logFile);
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // detached = setsid(): a new process group led by the child, stoppable with kill(-pid).
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    log.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const pgid = child.pid;
  if (pgid !== undefined) liveGroups.add(pgid);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  exited.finally(() => log.end());
  return { child, lines, exited };
}

/** Resolves with the first output line that `match` accepts; rejects on exit or timeout. */
export async function waitForLine<T>(
  started: Started,
  match: (line: string) => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  started.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    for (const line of started.lines) {
      const found = match(line);
      if (found !== undefined) return found;
    }
    if (exited) throw new Error(`${what} exited before it was ready:\n${tail(started)}`);
    await sleep(100);
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms:\n${tail(started)}`);
}

function tail(started: Started): string {
  return started.lines.slice(-15).join('\n');
}

/** SIGTERM to the whole group, SIGKILL to whatever is left after the grace period. */
export async function stopGroup(started: Started | undefined, graceMs = 5000): Promise<void> {
  const pid = started?.child.pid;
  if (!started || pid === undefined) return;
  if (!signalGroup(pid, 'SIGTERM')) return;
  const done = await Promise.race([
    started.exited.then(() => true),
    sleep(graceMs).then(() => false),
  ]);
  // Even after the leader exits, members of its group may linger: always sweep with SIGKILL.
  signalGroup(pid, 'SIGKILL');
  liveGroups.delete(pid);
  if (!done) await Promise.race([started.exited, sleep(2000)]);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // the group is gone already
  }
}

export { freePort } from '../support/ports';
export { sleep };

/**
 * Pids of bridge processes started from this run's extensions folder. Read from /proc rather
 * than `pgrep -f dist/bridge.js`, which would also find bridges of other runs or developers.
 */
export function bridgePids(extensionsDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const args = cmdline.split('\0');
    if (args.some((arg) => arg.startsWith(extensionsDir) && arg.endsWith('dist/bridge.js'))) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

/** Polls `probe` until it returns a value, or throws `message` with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  message: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`${message()} (after ${timeoutMs} ms)`);
}
