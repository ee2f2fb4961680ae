// The targets, judged for each bridge mode from the measurements. Compat mode is the
// like-for-like comparison (one upstream call per request, as direct, passthrough and the peer
// make); native mode also creates a conversation first, so it does more work by design.
import { DISTANT_GOALS, MEMORY_GOALS } from './distant-rows';
import type { Measurements } from './measurements';
import { worstStall } from './phase-event-loop';
import type { BRIDGES, TargetName } from './targets';

export interface Verdict {
  /** Undefined when the figure could not be measured, or not resolved above the noise. */
  met: boolean | undefined;
  value: number | undefined;
  /** How the value reads in the table, e.g. "0.214 ms". */
  shown: string;
}

export interface Goal {
  id: string;
  /** The figure row it belongs to. */
  row: string;
  target: string;
  judge(m: Measurements, bridge: TargetName): Verdict;
}

const num = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

function atMost(value: number | undefined, limit: number, unit: string, digits = 3): Verdict {
  if (!num(value)) return { met: undefined, value: undefined, shown: 'not measured' };
  return { met: value <= limit, value, shown: `${value.toFixed(digits)}${unit}` };
}

/** As atMost, but a noise floor as large as the limit makes the verdict inconclusive. */
function atMostAboveNoise(
  value: number | undefined,
  noise: number | undefined,
  limit: number,
  unit: string,
): Verdict {
  const v = atMost(value, limit, unit);
  if (v.met === undefined || !num(noise) || Math.abs(noise) < limit) return v;
  return {
    met: undefined,
    value: v.value,
    shown: `inconclusive: ${v.shown}, noise floor ${noise.toFixed(3)}${unit}`,
  };
}

export function addedLatency(m: Measurements, t: TargetName, p: 'p50' | 'p99'): number | undefined {
  const x = m.seq[t]?.[p];
  const d = m.seq.direct?.[p];
  return num(x) && num(d) ? x - d : undefined;
}

/** p99 of the target's chunk gaps minus that of the direct streams that ran alongside. */
export function addedGapP99(m: Measurements, t: TargetName, c: number): number | undefined {
  const f = m.streams[String(c)]?.[t];
  return f && num(f.gapP99) && num(f.control.gapP99) ? f.gapP99 - f.control.gapP99 : undefined;
}

export const GOALS: Goal[] = [
  {
    id: 'added-p50',
    row: 'added-p50',
    target: '<= 0.3 ms',
    judge: (m, b) => atMostAboveNoise(addedLatency(m, b, 'p50'), m.seqNoise?.p50, 0.3, ' ms'),
  },
  {
    id: 'added-p99',
    row: 'added-p99',
    target: '<= 1 ms',
    judge: (m, b) => atMostAboveNoise(addedLatency(m, b, 'p99'), m.seqNoise?.p99, 1, ' ms'),
  },
  {
    id: 'vs-peer',
    row: 'added-vs-peer',
    target: "<= 1/5 of Portkey's",
    judge: (m, b) => {
      const mine = addedLatency(m, b, 'p50');
      const peer = addedLatency(m, 'peer', 'p50');
      if (!num(mine) || !num(peer) || peer <= 0) return atMost(undefined, 0.2, '');
      return atMost(mine / peer, 0.2, 'x', 2);
    },
  },
  {
    id: 'throughput-c64',
    row: 'rps-vs-passthrough',
    target: ">= 80% of passthrough's",
    judge: (m, b) => {
      const mine = m.throughput['64']?.[b]?.rps;
      const pt = m.throughput['64']?.passthrough?.rps;
      if (!num(mine) || !num(pt) || pt <= 0) return atMost(undefined, 0, '');
      const r = mine / pt;
      return { met: r >= 0.8, value: r, shown: `${(r * 100).toFixed(0)}%` };
    },
  },
  {
    id: 'gap-p99-c100',
    row: 'gap-added-p99-100',
    target: '<= 1 ms',
    judge: (m, b) =>
      atMostAboveNoise(addedGapP99(m, b, 100), addedGapP99(m, 'direct', 100), 1, ' ms'),
  },
  {
    id: 'no-coalescing',
    row: 'coalesced',
    target: '0 streams',
    judge: (m, b) => {
      let coalesced = 0;
      let seen = false;
      for (const level of Object.values(m.streams)) {
        const f = level[b];
        if (!f) continue;
        seen = true;
        coalesced += f.coalescedStreams;
      }
      if (!seen) return atMost(undefined, 0, '');
      return { met: coalesced === 0, value: coalesced, shown: `${coalesced} coalesced` };
    },
  },
  {
    id: 'rss-1000',
    row: 'rss-1000',
    target: '1000 open, <= 120 MB',
    judge: (m, b) => {
      const f = m.streams['1000']?.[b];
      if (!f) return atMost(undefined, 120, '');
      const met = f.peakOpen >= 1000 && f.errors === 0 && f.rssPeakMb <= 120;
      return {
        met,
        value: f.rssPeakMb,
        shown: `${f.rssPeakMb.toFixed(1)} MB, ${f.peakOpen} open, ${f.errors} errors`,
      };
    },
  },
  {
    id: 'rss-idle',
    row: 'rss-idle',
    target: '<= 50 MB',
    judge: (m, b) => atMost(m.rssIdleMb[b], 50, ' MB', 1),
  },
  {
    id: 'rss-idle-flags',
    row: 'rss-idle-flags',
    target: '<= 50 MB',
    judge: (m, b) => atMost(m.rssIdleFlagsGiven[b]?.rss, 50, ' MB', 1),
  },
  {
    id: 'rss-idle-settled',
    row: 'rss-idle-settled',
    target: '<= 50 MB',
    judge: (m, b) => atMost(m.rssIdleSettled[b]?.rss, 50, ' MB', 1),
  },
  {
    id: 'cold-start',
    row: 'cold-start',
    target: '<= 150 ms',
    judge: (m, b) => atMost(m.coldStartMs[b]?.median, 150, ' ms', 1),
  },
  {
    id: 'bundle',
    row: 'size',
    target: '<= 500 KB',
    judge: (m, b) => atMost(m.sizeKb[b], 500, ' KB', 1),
  },
  {
    id: 'adversarial-stall',
    row: 'adversarial-stall',
    target: '<= 50 ms',
    judge: (m, b) => {
      const figures = m.adversarial[b];
      const failed = Object.entries(figures ?? {}).filter(([, f]) => f.error);
      if (failed.length > 0) {
        const [name, f] = failed[0]!;
        return { met: false, value: undefined, shown: `${name}: ${f.error}` };
      }
      return atMost(worstStall(figures), 50, ' ms', 1);
    },
  },
  ...MEMORY_GOALS,
  ...DISTANT_GOALS,
];

export interface GoalResult {
  id: string;
  row: string;
  target: string;
  verdicts: Record<(typeof BRIDGES)[number], Verdict>;
}

export function judgeAll(m: Measurements): GoalResult[] {
  return GOALS.map((g) => ({
    id: g.id,
    row: g.row,
    target: g.target,
    verdicts: { compat: g.judge(m, 'compat'), native: g.judge(m, 'native') },
  }));
}
