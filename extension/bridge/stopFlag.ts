// "The user stopped the bridge", shared by every window of this user on this machine: a file in
// the extension's global storage folder. Every window reads it before it would take over or
// start a bridge by itself, and polls it (one stat per interval) to follow a Stop or Start made
// in another window. A file rather than SecretStorage or globalState: those are cached per
// window in code-server's browser tabs, so another window may read a stale value.
import { unwatchFile, watchFile } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { SharedStopFlag } from './supervisor';

export const STOP_FLAG_FILE = 'bridge-stopped-by-user';

export class StopFlagFile implements SharedStopFlag {
  private readonly file: string;
  private watching: (() => void) | undefined;

  constructor(directory: string) {
    this.file = path.join(directory, STOP_FLAG_FILE);
  }

  async isSet(): Promise<boolean> {
    try {
      return (await readFile(this.file, 'utf8')).trim() === 'stopped';
    } catch {
      return false;
    }
  }

  async set(stopped: boolean): Promise<void> {
    if (stopped) {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(this.file, 'stopped\n', { mode: 0o600 });
    } else {
      await rm(this.file, { force: true });
    }
  }

  /** Calls `changed` when the file appears or disappears (any window's Stop or Start). */
  watch(changed: () => void, intervalMs = 1000): void {
    this.dispose();
    const listener = (now: { mtimeMs: number }, before: { mtimeMs: number }) => {
      if (now.mtimeMs !== before.mtimeMs) changed();
    };
    watchFile(this.file, { interval: intervalMs, persistent: false }, listener);
    this.watching = () => unwatchFile(this.file, listener);
  }

  dispose(): void {
    this.watching?.();
    this.watching = undefined;
  }
}
