// Runs dist/bridge.js as a child process with VS Code's own runtime (ELECTRON_RUN_AS_NODE=1, so
// users need no Node install) and waits for its ready line. Secrets travel only in the
// environment; stdin stays open as a lifeline: if the extension host dies abruptly, the pipe
// closes and the bridge (started with --stdin-lifeline) exits instead of lingering.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { ReadyLine } from '../../bridge/protocol';
// The bridge's own list of V8 flags (bridge/runtime-flags.ts says why each): passed on the
// command line so the bridge need not re-execute itself to get them.
import { missingEnv, RUNTIME_FLAGS } from '../../bridge/runtime-flags';
import { LineSplitter } from './lineSplitter';
import { parseReadyLine } from './readyLine';
import { classifyStartFailure } from './startFailure';

export interface SpawnRequest {
  execPath: string;
  script: string;
  args: string[];
  /** Added to the inherited environment: CUSTOMGPT_API_KEY, CUSTOMGPT_BRIDGE_TOKEN. */
  secretEnv: Record<string, string>;
  /** The configured port, for messages (the ready line may report a different one with 0). */
  port: number;
  readyTimeoutMs?: number;
  onStderrLine(line: string): void;
}

export type SpawnResult =
  | { kind: 'ready'; ready: ReadyLine; process: BridgeProcess }
  | { kind: 'port-in-use'; message: string }
  | { kind: 'failed'; message: string };

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** Grace period between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 3000;
export const READY_TIMEOUT_MS = 15000;

/** The last stderr lines kept to explain a failed start. */
const KEPT_STDERR_LINES = 20;

export class BridgeProcess {
  private exitInfo: ExitInfo | undefined;
  private readonly exited: Promise<ExitInfo>;
  private exitListeners: ((info: ExitInfo) => void)[] = [];
  private stopping = false;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
        for (const listener of this.exitListeners) listener(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** True once stop() was called: the exit that follows is not a crash. */
  get isStopping(): boolean {
    return this.stopping;
  }

  onExit(listener: (info: ExitInfo) => void): void {
    if (this.exitInfo) listener(this.exitInfo);
    else this.exitListeners.push(listener);
  }

  /** Graceful stop: SIGTERM, then SIGKILL if it outlives the grace period. */
  async stop(graceMs = STOP_GRACE_MS): Promise<ExitInfo> {
    this.stopping = true;
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exitInfo) this.child.kill('SIGKILL');
    }, graceMs);
    const info = await this.exited;
    clearTimeout(timer);
    this.child.stdin.destroy();
    return info;
  }
}

/**
 * The host's environment minus CUSTOMGPT_* variables: a key or project id exported in the user's
 * shell must not override (or leak into) what the extension configured.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('CUSTOMGPT_')),
  );
}

export function spawnBridge(request: SpawnRequest): Promise<SpawnResult> {
  const readyTimeoutMs = request.readyTimeoutMs ?? READY_TIMEOUT_MS;
  return new Promise((resolve) => {
    let child: ChildProcessWithoutNullStreams;
    const inherited = inheritedEnv();
    try {
      child = spawn(request.execPath, [...RUNTIME_FLAGS, request.script, ...request.args], {
        // The bridge's own flags and environment (a value the user set wins; the environment on
        // Linux only, as the bridge's launcher does), so that it starts without re-executing
        // itself to add them (bridge/runtime-flags.ts).
        env: {
          ...inherited,
          ...missingEnv(inherited, process.platform),
          ...request.secretEnv,
          ELECTRON_RUN_AS_NODE: '1',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      resolve({ kind: 'failed', message: `Could not start the bridge: ${String(error)}` });
      return;
    }
    const bridge = new BridgeProcess(child);
    let settled = false;
    const timer = setTimeout(() => {
      void bridge.stop();
      settle({
        kind: 'failed',
        message: `The bridge did not report ready within ${Math.round(readyTimeoutMs / 1000)} seconds.`,
      });
    }, readyTimeoutMs);
    const stderrTail: string[] = [];
    const stdoutLines = new LineSplitter();
    const stderrLines = new LineSplitter();

    const settle = (result: SpawnResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };

    // A closed pipe (the bridge died) must not surface as an uncaught EPIPE in the host.
    child.stdin.on('error', () => undefined);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      for (const line of stderrLines.push(chunk)) {
        if (!line.trim()) continue;
        stderrTail.push(line);
        if (stderrTail.length > KEPT_STDERR_LINES) stderrTail.shift();
        request.onStderrLine(line);
      }
    });
    child.stdout.on('data', (chunk: string) => {
      if (settled) return;
      const line = stdoutLines.push(chunk).find((l) => l.trim());
      if (line === undefined) return;
      const parsed = parseReadyLine(line);
      if (parsed.ok) {
        settle({ kind: 'ready', ready: parsed.ready, process: bridge });
      } else {
        void bridge.stop();
        settle({ kind: 'failed', message: `The bridge did not start: ${parsed.reason}.` });
      }
    });
    child.on('error', (error) => {
      settle({ kind: 'failed', message: `Could not start the bridge: ${error.message}` });
    });
    bridge.onExit((info) => {
      // Let the last stderr chunk arrive before explaining the exit.
      setImmediate(() => {
        for (const line of stderrLines.flush()) {
          stderrTail.push(line);
          request.onStderrLine(line);
        }
        const failure = classifyStartFailure({
          port: request.port,
          exitCode: info.code,
          signal: info.signal,
          stderrLines: stderrTail,
        });
        settle(failure);
      });
    });
  });
}
