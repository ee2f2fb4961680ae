// Child processes of the bench: spawned directly (no shell, so the pid is the program's own),
// ready when a stdout line says so, stopped with SIGTERM then SIGKILL after a grace period.
// Every child is registered so an interrupted bench still stops all it started.
import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Started {
  name: string;
  pid: number;
  child: ChildProcess;
  /** The stdout line that announced readiness. */
  readyLine: string;
  /** Spawn to ready line, in ms. */
  readyMs: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** True for the stdout line that means "listening". */
  isReady: (line: string) => boolean;
  timeoutMs?: number;
  /** Extra node flags (e.g. --cpu-prof) go before the script. */
  nodeArgs?: string[];
}

const running = new Set<ChildProcess>();

/** Kills whatever is still running (bench interrupted or failed). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Stops `started` gracefully, then kills whatever else is still running. */
export async function stopAll(started: readonly Started[]): Promise<void> {
  await Promise.all(started.map((p) => p.stop()));
  killAll();
}

/** Runs a probe's main; on failure prints the error, kills every child and exits 1. */
export function runProbe(main: () => Promise<void>): void {
  main().catch((e) => {
    console.error(e);
    killAll();
    process.exit(1);
  });
}

export function spawnNode(
  name: string,
  script: string,
  args: string[],
  opts: SpawnOptions,
): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], {
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    stderrTail = (stderrTail + s).slice(-4000);
  });
  const stop = () => stopChild(child);
  return new Promise<Started>((resolve, reject) => {
    let buffered = '';
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name}: ${why}\n${stderrTail.trim()}`));
    };
    const timer = setTimeout(() => fail('no ready line in time'), opts.timeoutMs ?? 20_000);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before ready`));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (s: string) => {
      if (done) return;
      buffered += s;
      let nl = buffered.indexOf('\n');
      while (nl !== -1) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (opts.isReady(line)) {
          done = true;
          clearTimeout(timer);
          const readyMs = performance.now() - started;
          // Keep draining stdout so a chatty child never blocks on a full pipe.
          child.stdout?.resume();
          resolve({ name, pid: child.pid!, child, readyLine: line, readyMs, stop });
          return;
        }
        nl = buffered.indexOf('\n');
      }
    });
  });
}

/** SIGTERM, then SIGKILL if it outlives `graceMs`; resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export { freePort } from '../test/support/ports';

/** Parses a JSON ready line ({"event":"ready",...}); undefined for any other line. */
export function readyJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v === 'object' && v !== null && (v as { event?: unknown }).event === 'ready') {
      return v as Record<string, unknown>;
    }
  } catch {
    // not JSON: some other output
  }
  return undefined;
}
