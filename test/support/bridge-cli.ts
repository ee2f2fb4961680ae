// What every driver of the bridge CLI needs (the bridge suite, the hardening suite, the soak):
// where dist/bridge.js is, a one-time build, an environment without CUSTOMGPT_* variables, and
// the ready line read off stdout.
import { type ChildProcess, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { ReadyLine } from '../../bridge/protocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BRIDGE_JS = path.join(REPO_ROOT, 'dist', 'bridge.js');

let built = false;
/** Builds dist/bridge.js once per test process; throws with the build output if it fails. */
export function ensureBuilt(): void {
  if (built) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}

/** The parent's environment without any CUSTOMGPT_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CUSTOMGPT_')) env[k] = v;
  return { ...env, ...extra };
}

/**
 * The first stdout line parsed as the ready line. Rejects if it is not JSON or if the process
 * exits first (with `stderr()` in the message). Reads nothing past the first line.
 */
export function readyLine(
  child: ChildProcess,
  exited: Promise<unknown>,
  stderr: () => string,
): Promise<ReadyLine> {
  const ready = new Promise<ReadyLine>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (d: Buffer) => {
      chunks.push(d);
      const text = Buffer.concat(chunks).toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      child.stdout?.off('data', onData);
      try {
        resolve(JSON.parse(text.slice(0, nl)) as ReadyLine);
      } catch {
        reject(new Error(`first stdout line is not JSON: ${text.slice(0, nl)}`));
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(() =>
      reject(
        new Error(
          `bridge exited (code ${child.exitCode}, signal ${child.signalCode}) before ready:\n${stderr()}`,
        ),
      ),
    );
  });
  ready.catch(() => undefined); // observed by the callers that care
  return ready;
}
