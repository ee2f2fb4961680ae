// The bridge under soak runs as users run it: dist/bridge.js in its own process. Its memory and
// open file descriptors are read from /proc, nothing new is exposed for the purpose.
import { type ChildProcess, spawn } from 'node:child_process';
import type { InfoBody, ReadyLine } from '../bridge/protocol';
import { BRIDGE_JS, cleanEnv, REPO_ROOT, readyLine } from '../test/support/bridge-cli';
import { fdCount, memoryMb } from './procfs';

export { REPO_ROOT };

export interface BridgeChild {
  child: ChildProcess;
  pid: number;
  ready: Promise<ReadyLine>;
  exited: Promise<number | null>;
  stderrLines(): string[];
  /** The first few KiB of stderr (node's own notices, such as the inspector URL). */
  stderrHead(): string;
}

export function spawnBridge(
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
): BridgeChild {
  const child = spawn(process.execPath, [...nodeArgs, BRIDGE_JS, ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let head = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    if (head.length < 4096) head += d;
    // Keep the tail only: a soak must not grow the driver without bound either.
    stderr = (stderr + d).slice(-200_000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = readyLine(child, exited, () => stderr);
  return {
    child,
    pid: child.pid ?? -1,
    ready,
    exited,
    stderrLines: () => stderr.split('\n').filter((l) => l.trim() !== ''),
    stderrHead: () => head,
  };
}

export interface Sample {
  atMs: number;
  rssMiB: number;
  fds: number;
  sessions: number | null;
  citations: number | null;
  activeStreams: number | null;
}

export function rssMiB(pid: number): number {
  return Math.round(memoryMb(pid).rss * 10) / 10;
}

export { fdCount };

/** /proc numbers plus the cache sizes and open streams GET /bridge/info reports. */
export async function sample(
  pid: number,
  origin: string,
  token: string,
  t0: number,
): Promise<Sample> {
  let info: Partial<InfoBody> = {};
  try {
    const res = await fetch(`${origin}/bridge/info`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5000),
    });
    info = (await res.json()) as InfoBody;
  } catch {
    // The numbers below still count; a missing info read shows as null.
  }
  return {
    atMs: Date.now() - t0,
    rssMiB: rssMiB(pid),
    fds: fdCount(pid),
    sessions: info.caches?.sessions ?? null,
    citations: info.caches?.citations ?? null,
    activeStreams: info.activeStreams ?? null,
  };
}
