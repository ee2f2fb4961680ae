// The bridge as users run it: dist/bridge.js in its own process, every byte of its stdout and
// stderr kept, its argv readable from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ReadyLine } from '../../../bridge/protocol';
import { BRIDGE_JS, cleanEnv, ensureBuilt, REPO_ROOT, readyLine } from '../../support/bridge-cli';

export { BRIDGE_JS, cleanEnv, ensureBuilt, REPO_ROOT };

export interface BridgeProcess {
  child: ChildProcess;
  pid: number;
  ready: Promise<ReadyLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** SIGTERM (if running), then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnBridge(args: string[], env: NodeJS.ProcessEnv): BridgeProcess {
  const child = spawn(process.execPath, [BRIDGE_JS, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  const stdout = () => Buffer.concat(out).toString('utf8');
  const stderr = () => Buffer.concat(err).toString('utf8');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  const ready = readyLine(child, exited, stderr);
  return {
    child,
    pid: child.pid ?? -1,
    ready,
    exited,
    stdout,
    stderr,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The process's argv as the kernel shows it to every local user. */
export function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
}
