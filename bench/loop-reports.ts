// The worst event-loop delay of every bridge the bench starts. Each bridge is told (by an
// environment variable the bridge honours, see bridge/loop-delay.ts) to keep a small JSON
// report in a file of its own; the bench reads them all at the end, per mode.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LOOP_REPORT_ENV } from '../bridge/loop-delay';

let dir: string | undefined;
let next = 0;
let phase = 'start';

/** Names the bench phase the bridges started from now on belong to (a word, no dashes). */
export function setLoopPhase(name: string): void {
  phase = name.replace(/[^a-z0-9]+/gi, '_');
}

/** The environment that makes one bridge (of `mode`) write its event-loop report. */
export function loopReportEnv(mode: string): NodeJS.ProcessEnv {
  dir ??= mkdtempSync(join(tmpdir(), 'bench-loop-'));
  return { [LOOP_REPORT_ENV]: join(dir, `${mode}-${next++}-${phase}.json`) };
}

/**
 * Worst delay per mode (ms) over every report written, and the worst p99 (`<mode>-p99`);
 * `byPhase` has the worst per mode and phase the bridge was started in (`<mode> <phase>`). The
 * reports are removed.
 */
export function worstLoopDelays(byPhase: Record<string, number> = {}): Record<string, number> {
  const worst: Record<string, number> = {};
  if (!dir) return worst;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.tmp')) continue;
    const [mode, , started] = f.replace(/\.json$/, '').split('-') as [string, string, string?];
    try {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        maxMs?: unknown;
        p99Ms?: unknown;
      };
      if (typeof r.maxMs === 'number') {
        worst[mode] = Math.max(worst[mode] ?? 0, r.maxMs);
        const key = `${mode} ${started ?? '?'}`;
        byPhase[key] = Math.max(byPhase[key] ?? 0, r.maxMs);
      }
      if (typeof r.p99Ms === 'number') {
        worst[`${mode}-p99`] = Math.max(worst[`${mode}-p99`] ?? 0, r.p99Ms);
      }
    } catch {
      // a report caught mid-write: its previous figure is lost, the next ones count
    }
  }
  rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  return worst;
}
