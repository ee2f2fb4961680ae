// The bridge as users run it: dist/bridge.js in its own process, every byte of its stdout and
// stderr kept, its /proc entries readable (memory, file descriptors, argv).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReadyLine } from '../../../bridge/protocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const BRIDGE_JS = path.join(REPO_ROOT, 'dist', 'bridge.js');

let built = false;
/** Builds dist/bridge.js once per test process (`npm run test:hardening` builds first too). */
export function ensureBuilt(): void {
  if (built) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}

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

/** The environment without CUSTOMGPT_* variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CUSTOMGPT_')) env[k] = v;
  return { ...env, ...extra };
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
  const ready = new Promise<ReadyLine>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out.push(d);
      const text = stdout();
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        try {
          resolve(JSON.parse(text.slice(0, nl)) as ReadyLine);
        } catch {
          reject(new Error(`first stdout line is not JSON: ${text.slice(0, nl)}`));
        }
      }
    });
    void exited.then(({ code }) =>
      reject(new Error(`bridge exited (${code}) before ready:\n${stderr()}`)),
    );
  });
  ready.catch(() => undefined);
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

/** Resident set size of a process, in bytes (VmRSS from /proc/PID/status). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Open file descriptors of a process (entries of /proc/PID/fd). */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The process's argv as the kernel shows it to every local user. */
export function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
}
