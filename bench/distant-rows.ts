// Rows and goals of the distant-upstream section, the memory-over-time rows and the event-loop
// row (issue 13), kept apart from the loopback ones they sit under in the table.
import type { Goal, Verdict } from './goals';
import { stallCpu } from './loop-reports';
import type { DistantTransport, Measurements } from './measurements';
import type { Row } from './rows';
import { median } from './stats';
import type { PerTarget, TargetName } from './targets';

const TRANSPORTS = ['http', 'https'] as const;
type Transport = (typeof TRANSPORTS)[number];

const med = (a: number[] | undefined) => (a && a.length > 0 ? median(a) : undefined);
const fixed = (v: number | undefined, d = 1) =>
  v === undefined || !Number.isFinite(v) ? undefined : v.toFixed(d);

function cells(f: (t: 'direct' | 'native' | 'compat') => string | undefined): PerTarget<string> {
  const out: PerTarget<string> = {};
  for (const t of ['direct', 'native', 'compat'] as const) {
    const v = f(t);
    if (v !== undefined) out[t] = v;
  }
  return out;
}

function transportOf(m: Measurements, t: Transport): DistantTransport | undefined {
  return m.distant?.transports[t];
}

/** Median time to first text of one figure, with direct's in the direct column. */
function ttftRow(
  m: Measurements,
  t: Transport,
  id: string,
  what: string,
  pick: (d: DistantTransport) => PerTarget<number[]>,
): Row {
  const rtt = m.distant?.rttMs ?? 0;
  return {
    id: `distant-${t}-${id}`,
    label: `distant (${rtt} ms RTT, ${t}): ${what}, time to first text p50 (ms; direct: native API)`,
    cells: cells((target) => {
      const d = transportOf(m, t);
      if (!d) return undefined;
      return fixed(med(target === 'direct' ? d.direct.ttft : pick(d)[target]));
    }),
  };
}

export function distantRows(m: Measurements): Row[] {
  if (!m.distant) return [];
  const rows: Row[] = [];
  for (const t of TRANSPORTS) {
    if (!transportOf(m, t)) continue;
    rows.push(
      ttftRow(m, t, 'new', 'new chat', (d) => d.newChat),
      ttftRow(m, t, 'follow', 'follow-up', (d) => d.followUp),
      ttftRow(m, t, 'fresh', "fresh bridge's first question", (d) => d.fresh),
      {
        id: `distant-${t}-tail`,
        label: `distant (${t}): last text to end of stream p50, cold / warm citations (ms; direct: native API's own)`,
        cells: cells((target) => {
          const d = transportOf(m, t)!;
          if (target === 'direct') return fixed(med(d.direct.tail));
          const cold = fixed(med(d.tailCold[target]));
          const warm = fixed(med(d.tailWarm[target]));
          return cold === undefined ? undefined : `${cold} / ${warm ?? '—'}`;
        }),
      },
      {
        id: `distant-${t}-errors`,
        label: `distant (${t}): errors`,
        cells: { direct: String(transportOf(m, t)!.errors.length) },
      },
    );
  }
  return rows;
}

/** "VmRSS (private)" in MB, or no cell when the reading is missing. */
export function rssCell(rss: number | undefined, anon: number | undefined): string | undefined {
  const r = fixed(rss, 1);
  return r === undefined ? undefined : `${r} (${fixed(anon, 1)})`;
}

export function memoryRows(m: Measurements): Row[] {
  const each = (f: (t: TargetName) => string | undefined) => {
    const out: PerTarget<string> = {};
    for (const t of ['direct', 'passthrough', 'native', 'compat', 'peer'] as const) {
      const v = f(t);
      if (v !== undefined) out[t] = v;
    }
    return out;
  };
  return [
    {
      id: 'rss-burst',
      label: 'RSS right after the loopback burst, MB (private)',
      cells: each((t) => rssCell(m.rssAfterBurst[t]?.rss, m.rssAfterBurst[t]?.anon)),
    },
    {
      id: 'rss-settled',
      label: `RSS ${fixed(m.settledAfterS, 0) ?? '60'} s after the burst, MB (private)`,
      cells: each((t) => rssCell(m.rssSettled[t]?.rss, m.rssSettled[t]?.anon)),
    },
    {
      id: 'loop-max',
      label:
        'worst event-loop delay, any bridge process of the run, max (worst p99; the main ' +
        "thread's CPU time within the worst stall of a 10 ms timer, tick to tick) (ms)",
      cells: (() => {
        const out = each((t) => fixed(m.loopDelayMaxMs[t]));
        for (const t of Object.keys(out) as TargetName[]) {
          const p99 = fixed(m.loopDelayP99Ms[t]);
          const stall = m.loopWorstStall[t];
          const inside = [p99, stall ? stallCpu(stall) : undefined].filter((v) => v !== undefined);
          if (inside.length > 0) out[t] = `${out[t]} (${inside.join('; ')})`;
        }
        return out;
      })(),
    },
  ];
}

const num = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

function atMost(value: number | undefined, limit: number, extra = ''): Verdict {
  if (!num(value)) return { met: undefined, value: undefined, shown: 'not measured' };
  return { met: value <= limit, value, shown: `${value.toFixed(1)} ms${extra}` };
}

/** A bridge figure judged against direct's + `slack` ms. */
function overDirect(
  t: Transport,
  slack: number,
  pick: (d: DistantTransport) => PerTarget<number[]>,
): Goal['judge'] {
  return (m, b) => {
    const d = m.distant?.transports[t];
    const direct = med(d?.direct.ttft);
    const mine = d ? med(pick(d)[b]) : undefined;
    if (!num(direct) || !num(mine)) return atMost(undefined, 0);
    const v = atMost(mine - direct, slack, ' over direct');
    return v;
  };
}

export const DISTANT_GOALS: Goal[] = TRANSPORTS.flatMap((t) => [
  {
    id: `distant-${t}-new`,
    row: `distant-${t}-new`,
    target: '<= direct + 10 ms',
    judge: overDirect(t, 10, (d) => d.newChat),
  },
  {
    id: `distant-${t}-fresh`,
    row: `distant-${t}-fresh`,
    target: '<= direct + 15 ms',
    judge: overDirect(t, 15, (d) => d.fresh),
  },
  {
    id: `distant-${t}-tail`,
    row: `distant-${t}-tail`,
    target: '<= 1 RTT + 5 ms (cold)',
    judge: (m: Measurements, b: TargetName): Verdict => {
      const d = m.distant?.transports[t];
      if (b !== 'native') return { met: undefined, value: undefined, shown: 'no citations' };
      return atMost(med(d?.tailCold[b]), (m.distant?.rttMs ?? 0) + 5);
    },
  },
]);

export const MEMORY_GOALS: Goal[] = [
  {
    id: 'rss-burst',
    row: 'rss-burst',
    target: '<= 120 MB',
    judge: (m, b) => {
      const v = m.rssAfterBurst[b]?.rss;
      if (!num(v)) return { met: undefined, value: undefined, shown: 'not measured' };
      return { met: v <= 120, value: v, shown: `${v.toFixed(1)} MB` };
    },
  },
  {
    id: 'rss-settled',
    row: 'rss-settled',
    target: 'within 10 MB of idle',
    judge: (m, b) => {
      const v = m.rssSettled[b]?.rss;
      const idle = m.rssIdleMb[b];
      if (!num(v) || !num(idle)) return { met: undefined, value: undefined, shown: 'not measured' };
      // Judged on VmRSS; the private part is shown beside it (the rest is shared file pages).
      const anon = m.rssSettled[b]?.anon;
      const idleAnon = m.rssIdleAnonMb[b];
      const priv =
        num(anon) && num(idleAnon)
          ? `; private ${anon.toFixed(1)} (idle ${idleAnon.toFixed(1)})`
          : '';
      return {
        met: v - idle <= 10,
        value: v,
        shown: `${v.toFixed(1)} MB (idle ${idle.toFixed(1)})${priv}`,
      };
    },
  },
  {
    id: 'loop-max',
    row: 'loop-max',
    target: '<= 50 ms',
    judge: (m, b) => atMost(m.loopDelayMaxMs[b], 50),
  },
];
