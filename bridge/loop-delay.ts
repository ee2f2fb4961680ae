// Event-loop delay report, for benchmarks and soak runs only: when the environment names a
// file in CUSTOMGPT_BRIDGE_LOOP_REPORT, the bridge samples its event-loop delay
// (perf_hooks.monitorEventLoopDelay) and keeps {maxMs, p99Ms, meanMs} in that file, rewritten
// every second and at exit (written to a .tmp beside it, then renamed: never half a file).
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const LOOP_REPORT_ENV = 'CUSTOMGPT_BRIDGE_LOOP_REPORT';

export interface LoopDelayReport {
  /** Writes the report now (call at exit). */
  flush(): void;
}

export function startLoopDelayReport(
  env: Record<string, string | undefined>,
): LoopDelayReport | undefined {
  const file = env[LOOP_REPORT_ENV];
  if (!file) return undefined;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const flush = () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const report = {
      maxMs: ms(histogram.max),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
      samples: histogram.count,
    };
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(report));
      renameSync(`${file}.tmp`, file);
    } catch {
      // a report is a measurement aid: failing to write it must not disturb the bridge
    }
  };
  setInterval(flush, 1000).unref();
  return { flush };
}
