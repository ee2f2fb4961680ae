// What a soak must show, as numbers: the summary it prints and the bounds that fail it.
import type { Sample } from './soak-process';

/**
 * Live heap (after a forced full GC) may grow this much from baseline to after-settle; open
 * fds must come back to baseline (+ slack); RSS, a high-water mark (V8 and malloc keep freed
 * pages), only has a runaway ceiling. Cache ceilings: sessions at the bridge's default
 * sessionMax; citations at the simulator's 6 citations for each of the 2 projects used.
 */
export const BOUNDS = {
  liveHeapGrowthMiB: 16,
  fdGrowth: 16,
  rssCeilingMiB: 512,
  sessions: 2000,
  citations: 12,
};

export interface Measured {
  baseline: Sample & { liveHeapMiB: number };
  after: Sample & { liveHeapMiB: number };
  during: (Sample & { done: number })[];
  requests: number;
}

export function summarize(m: Measured) {
  const all = m.during.length > 0 ? m.during : [{ ...m.after, done: m.requests }];
  const max = (pick: (s: Sample) => number | null) => Math.max(...all.map((s) => pick(s) ?? 0));
  /** RSS of the last sample taken before `fraction` of the requests were done. */
  const rssAt = (fraction: number) =>
    [...all].reverse().find((s) => s.done <= fraction * m.requests)?.rssMiB ?? m.baseline.rssMiB;
  return {
    rssMiB: {
      baseline: m.baseline.rssMiB,
      peak: max((s) => s.rssMiB),
      after: m.after.rssMiB,
      byProgress: { '25%': rssAt(0.25), '50%': rssAt(0.5), '75%': rssAt(0.75), '100%': rssAt(1) },
    },
    liveHeapAfterGcMiB: { baseline: m.baseline.liveHeapMiB, after: m.after.liveHeapMiB },
    fds: { baseline: m.baseline.fds, peak: max((s) => s.fds), after: m.after.fds },
    caches: {
      baseline: { sessions: m.baseline.sessions, citations: m.baseline.citations },
      peak: { sessions: max((s) => s.sessions), citations: max((s) => s.citations) },
      after: { sessions: m.after.sessions, citations: m.after.citations },
    },
    activeStreamsAfter: m.after.activeStreams,
  };
}

export function boundFailures(s: ReturnType<typeof summarize>): string[] {
  const out: string[] = [];
  const heap = s.liveHeapAfterGcMiB;
  if (heap.after > heap.baseline + BOUNDS.liveHeapGrowthMiB) {
    out.push(`live heap grew ${heap.baseline} -> ${heap.after} MiB (after GC)`);
  }
  if (s.fds.after > s.fds.baseline + BOUNDS.fdGrowth)
    out.push(`fds grew ${s.fds.baseline} -> ${s.fds.after}`);
  if (s.rssMiB.peak > BOUNDS.rssCeilingMiB) out.push(`RSS peaked at ${s.rssMiB.peak} MiB`);
  if (s.caches.after.sessions === null) out.push('GET /bridge/info does not report cache sizes');
  if (s.caches.peak.sessions > BOUNDS.sessions)
    out.push(`sessions peaked at ${s.caches.peak.sessions}`);
  if (s.caches.peak.citations > BOUNDS.citations)
    out.push(`citations peaked at ${s.caches.peak.citations}`);
  if (s.activeStreamsAfter !== 0)
    out.push(`${s.activeStreamsAfter} streams still counted as active`);
  return out;
}
