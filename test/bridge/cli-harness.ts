// Spawning the built CLI (dist/bridge.js) and reading its ready line.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { ReadyLine } from '../../bridge/protocol.js';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BRIDGE_JS = path.join(REPO_ROOT, 'dist', 'bridge.js');

/** Runs `npm run build` once; fails loudly with its output if the build breaks. */
export function buildOnce(): void {
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the first stdout line parsed as JSON; rejects if the process exits first. */
  ready: Promise<ReadyLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** The parent's environment without any CUSTOMGPT_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('CUSTOMGPT_')) env[k] = v;
  }
  return { ...env, ...extra };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): CliRun {
  const child = spawn(process.execPath, [BRIDGE_JS, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<ReadyLine>((resolve, reject) => {
    child.stdout?.on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        try {
          resolve(JSON.parse(out.slice(0, nl)) as ReadyLine);
        } catch {
          reject(new Error(`first stdout line is not JSON: ${out.slice(0, nl)}`));
        }
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`bridge exited (code ${code}, signal ${signal}) before ready:\n${err}`)),
    );
  });
  ready.catch(() => undefined); // observed by the tests that care
  child.stderr?.on('data', (d: string) => {
    err += d;
  });
  return { child, ready, exited, stdout: () => out, stderr: () => err };
}

/** Sends SIGTERM (if still running) and waits for the exit. */
export async function stop(run: CliRun, signal: NodeJS.Signals = 'SIGTERM') {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
  return run.exited;
}
