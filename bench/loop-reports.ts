// The worst event-loop delay of every bridge the bench starts. Each bridge is told (by an
// environment variable the bridge honours, see bridge/loop-delay.ts) to keep a small JSON
// report in a file of its own; the bench reads them all at the end, per mode.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LOOP_REPORT_ENV, type WorstStall } from '../bridge/loop-delay';

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

export interface WorstLoopDelays {
  /** Worst delay per mode (ms) over every report written. */
  max: Record<string, number>;
  /** The worst p99 per mode. */
  p99: Record<string, number>;
  /** The worst delay per mode and phase the bridge was started in (`<mode> <phase>`). */
  byPhase: Record<string, number>;
  /** The worst stall per mode, with the main thread's CPU time across it. */
  stall: Record<string, WorstStall>;
  /** The same per mode and phase. */
  stallByPhase: Record<string, WorstStall>;
}

/** The worst figures over every report written; the reports are removed. */
export function worstLoopDelays(): WorstLoopDelays {
  const out: WorstLoopDelays = { max: {}, p99: {}, byPhase: {}, stall: {}, stallByPhase: {} };
  if (!dir) return out;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.tmp')) continue;
    const [mode, , started] = f.replace(/\.json$/, '').split('-') as [string, string, string?];
    try {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        maxMs?: unknown;
        p99Ms?: unknown;
        worstStallMs?: unknown;
        worstStallSpanMs?: unknown;
        worstStallCpuMs?: unknown;
      };
      if (typeof r.maxMs === 'number') {
        raise(out.max, mode, r.maxMs);
        raise(out.byPhase, `${mode} ${started ?? '?'}`, r.maxMs);
      }
      if (typeof r.p99Ms === 'number') raise(out.p99, mode, r.p99Ms);
      const { worstStallMs: stallMs, worstStallSpanMs: spanMs, worstStallCpuMs: cpuMs } = r;
      if (typeof stallMs === 'number' && typeof spanMs === 'number' && typeof cpuMs === 'number') {
        const stall = { stallMs, spanMs, cpuMs };
        raiseStall(out.stall, mode, stall);
        raiseStall(out.stallByPhase, `${mode} ${started ?? '?'}`, stall);
      }
    } catch {
      // a report caught mid-write: its previous figure is lost, the next ones count
    }
  }
  rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  return out;
}

/** "on CPU 120.3 of 300.1 ms": the main thread's CPU time across a stall's span, and the span. */
export function stallCpu(stall: WorstStall): string {
  return `on CPU ${stall.cpuMs.toFixed(1)} of ${stall.spanMs.toFixed(1)} ms`;
}

/** Keeps the longer of `stall` and what `key` holds. */
function raiseStall(into: Record<string, WorstStall>, key: string, stall: WorstStall): void {
  if (stall.stallMs > (into[key]?.stallMs ?? -1)) into[key] = stall;
}

/** Keeps the larger of `ms` and what `key` holds. */
function raise(into: Record<string, number>, key: string, ms: number): void {
  into[key] = Math.max(into[key] ?? 0, ms);
}
