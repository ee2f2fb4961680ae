// Event-loop delay report, for benchmarks and soak runs only: when the environment names a
// file in CUSTOMGPT_BRIDGE_LOOP_REPORT, the bridge samples its event-loop delay
// (perf_hooks.monitorEventLoopDelay) and keeps {maxMs, p99Ms, meanMs} in that file, rewritten
// every second while busy, when going quiet and at exit (written to a .tmp beside it, then
// renamed: never half a file).
// The histogram says how late the loop was, not why. A stall is either the bridge's own work or
// time its main thread spent waiting for a core (the bench runs the bridge, its load generator
// and the simulator on the same few cores), so the report also gives the worst stall of a timer
// ticking at the same resolution with the main thread's CPU time across it (from the tick
// before the stall to the late one).
// While the process is quiet (every bridge in it idle, favour-memory.ts) that timer and the
// report's rewrites stop, and they start again with the next request with a body (what wakes
// the bridge, idle-gc.ts; a bodyless GET such as /bridge/health does not): ticking every 10 ms for
// minutes, they got Node's own timer code optimised by V8's top compiler, whose code pages and
// memory then showed in the bridge's idle figures. Measured on an idle bridge 90 s after start:
// 66.9 MB RSS with the timer ticking, 60.1 MB without (no request ever made). A user's bridge
// has no such timer. The histogram (native, no JavaScript) keeps sampling throughout, so a
// collection while quiet still counts in maxMs.
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { QuietVotes } from './favour-memory';

export const LOOP_REPORT_ENV = 'CUSTOMGPT_BRIDGE_LOOP_REPORT';

const RESOLUTION_MS = 10;

export interface LoopDelayReport {
  /** Writes the report now (call at exit). */
  flush(): void;
  /** Stops sampling (tests; the bridge keeps its report to the end). */
  stop(): void;
}

/** The worst stall seen by a timer meant to tick every `intervalMs`. */
export interface WorstStall {
  /** How late the worst tick came (ms). */
  stallMs: number;
  /** The time between that tick and the one before (ms): the stall plus the interval. */
  spanMs: number;
  /** The main thread's CPU time over that span (ms). */
  cpuMs: number;
}

/**
 * Keeps the worst stall of a periodic timer. `tick` takes the time (ms) and the main thread's
 * CPU time (ms) at each tick; the first call only sets the starting point.
 */
export function stallTracker(intervalMs: number): {
  tick(atMs: number, cpuMs: number): void;
  /** The timer was stopped: the next tick only sets the starting point again. */
  restart(): void;
  worst(): WorstStall;
} {
  let worst: WorstStall = { stallMs: 0, spanMs: 0, cpuMs: 0 };
  let lastAt = Number.NaN;
  let lastCpu = 0;
  return {
    tick(atMs, cpuMs) {
      const span = atMs - lastAt;
      const stall = span - intervalMs;
      if (stall > worst.stallMs) worst = { stallMs: stall, spanMs: span, cpuMs: cpuMs - lastCpu };
      lastAt = atMs;
      lastCpu = cpuMs;
    },
    restart() {
      lastAt = Number.NaN;
    },
    worst: () => worst,
  };
}

/** The main thread's CPU time (ms), where the runtime can tell (Node 22.19+, 23.9+). */
export function threadCpuMs(): number | undefined {
  if (typeof process.threadCpuUsage !== 'function') return undefined;
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

export function startLoopDelayReport(
  env: Record<string, string | undefined>,
  quiet?: Pick<QuietVotes, 'onChange'>,
): LoopDelayReport | undefined {
  const file = env[LOOP_REPORT_ENV];
  if (!file) return undefined;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const stalls = threadCpuMs() === undefined ? undefined : stallTracker(RESOLUTION_MS);
  const tick = () => stalls?.tick(performance.now(), threadCpuMs()!);
  const flush = () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const round = (v: number) => Math.round(v * 100) / 100;
    const worst = stalls?.worst();
    const report = {
      maxMs: ms(histogram.max),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
      samples: histogram.count,
      ...(worst
        ? {
            worstStallMs: round(worst.stallMs),
            worstStallSpanMs: round(worst.spanMs),
            worstStallCpuMs: round(worst.cpuMs),
          }
        : {}),
    };
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(report));
      renameSync(`${file}.tmp`, file);
    } catch {
      // a report is a measurement aid: failing to write it must not disturb the bridge
    }
  };
  let timers: NodeJS.Timeout[] = [];
  const run = () => {
    if (timers.length > 0) return;
    if (stalls) {
      stalls.restart();
      tick();
      timers.push(setInterval(tick, RESOLUTION_MS).unref());
    }
    timers.push(setInterval(flush, 1000).unref());
  };
  const pause = () => {
    for (const t of timers) clearInterval(t);
    timers = [];
  };
  run();
  const unsubscribe = quiet?.onChange((isQuiet) => {
    if (isQuiet) {
      flush();
      pause();
    } else run();
  });
  return {
    flush,
    stop() {
      unsubscribe?.();
      pause();
      histogram.disable();
    },
  };
}
