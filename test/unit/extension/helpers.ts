// Shared helpers for the extension's unit tests: free ports, the fake bridge, a recording logger.
import * as path from 'node:path';
import type { Logger } from '../../../extension/core/logger';

export const FAKE_BRIDGE = path.join(__dirname, 'fixtures', 'fake-bridge.mjs');

export { freePort } from '../../support/ports';

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace(message: string): void {
    this.lines.push(`trace ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 8000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** True when a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
