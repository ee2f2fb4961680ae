// Spawning the built CLI (dist/bridge.js) and reading its ready line.
import { type ChildProcess, spawn } from 'node:child_process';
import type { ReadyLine } from '../../bridge/protocol.js';
import { BRIDGE_JS, cleanEnv, ensureBuilt, REPO_ROOT, readyLine } from '../support/bridge-cli.js';

export { BRIDGE_JS, cleanEnv, REPO_ROOT };

/** Builds dist/bridge.js (once per test process). */
export const buildOnce = ensureBuilt;

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the first stdout line parsed as JSON; rejects if the process exits first. */
  ready: Promise<ReadyLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): CliRun {
  const child = spawn(process.execPath, [BRIDGE_JS, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let err = '';
  child.stderr?.setEncoding('utf8');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  const ready = readyLine(child, exited, () => err);
  child.stderr?.on('data', (d: string) => {
    err += d;
  });
  return {
    child,
    ready,
    exited,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => err,
  };
}

/** Sends SIGTERM (if still running) and waits for the exit. */
export async function stop(run: CliRun, signal: NodeJS.Signals = 'SIGTERM') {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
  return run.exited;
}
