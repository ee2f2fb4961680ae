// Phase 2, streaming (simulator paced): at each concurrency, every target's streams are timed
// chunk by chunk, checked for coalescing, and its process watched for peak RSS and CPU.
import type { LoadGenerator } from './loadgen/driver';
import type { Target } from './loadgen/protocol';
import type { Measurements } from './measurements';
import { cpuMs, sampleRss } from './procfs';
import { chatBody, type Settings } from './settings';
import type { Stack } from './stack';
import { percentile } from './stats';
import type { TargetName } from './targets';

/** The control group: a quarter of the level's streams (1 to 100), enough gaps for a p99. */
export function controlSize(concurrency: number): number {
  return Math.max(1, Math.min(100, Math.ceil(concurrency / 4)));
}

export async function measureStreams(
  gen: LoadGenerator,
  stack: Stack,
  targets: Target[],
  expected: string[],
  s: Settings,
  m: Measurements,
  log: (s: string) => void,
): Promise<void> {
  const direct = targets.find((t) => t.name === 'direct');
  if (!direct) throw new Error('streams: the direct target is needed as the control group');
  for (const [k, level] of s.streams.levels.entries()) {
    const row: Measurements['streams'][string] = {};
    m.streams[String(level.concurrency)] = row;
    const order = targets.map((_, i) => targets[(i + k) % targets.length]!);
    for (const target of order) {
      const name = target.name as TargetName;
      const pid = stack.pids[name]!;
      const rss = sampleRss(pid);
      const cpu0 = cpuMs(pid);
      const r = await gen.run({
        kind: 'streams',
        target,
        concurrency: level.concurrency,
        control: { target: direct, concurrency: controlSize(level.concurrency) },
        waves: level.waves,
        staggerMs: s.streams.chunkDelayMs,
        body: chatBody(true),
        expected,
      });
      const cpu = cpuMs(pid) - cpu0;
      const peak = rss.stop();
      const rssPeakMb = peak.rss;
      const t = r.target;
      const c = r.control!;
      row[name] = {
        streams: t.streams,
        errors: t.errors,
        ...(t.firstError ? { firstError: t.firstError } : {}),
        ttfcP50: percentile(t.ttfc, 50),
        ttfcP99: percentile(t.ttfc, 99),
        gapP50: percentile(t.gaps, 50),
        gapP99: percentile(t.gaps, 99),
        gaps: t.gaps.length,
        chunksReceived: t.chunksReceived,
        chunksExpected: t.chunksExpected,
        coalescedStreams: t.coalescedStreams,
        peakOpen: t.peakOpen,
        rssPeakMb,
        rssPeakAnonMb: peak.anon,
        cpuPerStreamMs: cpu / Math.max(1, t.streams),
        control: {
          streams: c.streams,
          errors: c.errors,
          ttfcP50: percentile(c.ttfc, 50),
          gapP50: percentile(c.gaps, 50),
          gapP99: percentile(c.gaps, 99),
        },
      };
      const f = row[name]!;
      log(
        `streams c=${level.concurrency} ${name}: ttfc p50 ${f.ttfcP50.toFixed(2)} ms ` +
          `(control ${f.control.ttfcP50.toFixed(2)}), gap p99 ${f.gapP99.toFixed(2)} ms ` +
          `(control ${f.control.gapP99.toFixed(2)}), peak open ${t.peakOpen}, ` +
          `rss ${rssPeakMb.toFixed(1)} MB` +
          (t.errors ? `, ${t.errors} errors (${t.firstError})` : '') +
          (t.coalescedStreams ? `, ${t.coalescedStreams} coalesced` : ''),
      );
    }
  }
}
