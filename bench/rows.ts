// The report's figures, one row each: what every target measured, formatted for the table.
import { distantRows, memoryRows, rssCell } from './distant-rows';
import { addedGapP99, addedLatency } from './goals';
import type { Measurements, StreamFigures } from './measurements';
import { worstStall } from './phase-event-loop';
import { type PerTarget, TARGET_NAMES, type TargetName } from './targets';

export interface Row {
  id: string;
  label: string;
  cells: PerTarget<string>;
}

const fixed = (v: number | undefined, digits: number) =>
  v === undefined || !Number.isFinite(v) ? undefined : v.toFixed(digits);

function each(f: (t: TargetName) => string | undefined): PerTarget<string> {
  const cells: PerTarget<string> = {};
  for (const t of TARGET_NAMES) {
    const v = f(t);
    if (v !== undefined) cells[t] = v;
  }
  return cells;
}

function streamCell(
  m: Measurements,
  c: number,
  f: (s: StreamFigures) => string | undefined,
): (t: TargetName) => string | undefined {
  return (t) => {
    const s = m.streams[String(c)]?.[t];
    return s ? f(s) : undefined;
  };
}

export function buildRows(m: Measurements, levels: number[], concurrencies: number[]): Row[] {
  const rows: Row[] = [
    {
      id: 'lat-p50',
      label: 'sequential latency p50 (ms)',
      cells: each((t) => fixed(m.seq[t]?.p50, 3)),
    },
    {
      id: 'lat-p99',
      label: 'sequential latency p99 (ms)',
      cells: each((t) => fixed(m.seq[t]?.p99, 3)),
    },
    {
      id: 'added-p50',
      label: 'added latency over direct, p50 (ms; direct: noise floor)',
      cells: each((t) =>
        t === 'direct' ? fixed(m.seqNoise?.p50, 3) : fixed(addedLatency(m, t, 'p50'), 3),
      ),
    },
    {
      id: 'added-p99',
      label: 'added latency over direct, p99 (ms; direct: noise floor)',
      cells: each((t) =>
        t === 'direct' ? fixed(m.seqNoise?.p99, 3) : fixed(addedLatency(m, t, 'p99'), 3),
      ),
    },
    {
      id: 'added-vs-peer',
      label: "added p50 as a multiple of Portkey's",
      cells: each((t) => {
        const mine = addedLatency(m, t, 'p50');
        const peer = addedLatency(m, 'peer', 'p50');
        if (t === 'direct' || mine === undefined || peer === undefined || peer <= 0) return;
        return `${(mine / peer).toFixed(2)}x`;
      }),
    },
  ];
  for (const c of concurrencies) {
    rows.push({
      id: `rps-${c}`,
      label: `throughput, concurrency ${c} (req/s)`,
      cells: each((t) => fixed(m.throughput[String(c)]?.[t]?.rps, 0)),
    });
  }
  rows.push(
    {
      id: 'rps-vs-passthrough',
      label: "throughput c=64 as a share of passthrough's",
      cells: each((t) => {
        const mine = m.throughput['64']?.[t]?.rps;
        const pt = m.throughput['64']?.passthrough?.rps;
        if (mine === undefined || pt === undefined || pt <= 0) return;
        return `${((mine / pt) * 100).toFixed(0)}%`;
      }),
    },
    {
      id: 'cpu-req',
      label: 'CPU time per request (ms; direct: the simulator)',
      cells: each((t) => fixed(m.cpuPerRequestMs[t], 3)),
    },
  );
  for (const c of levels) {
    rows.push({
      id: `ttfc-${c}`,
      label: `time to first chunk p50, ${c} stream${c > 1 ? 's' : ''} (ms)`,
      cells: each(streamCell(m, c, (s) => fixed(s.ttfcP50, 2))),
    });
  }
  for (const c of levels) {
    rows.push({
      id: `gap-added-p99-${c}`,
      label: `added inter-chunk latency p99, ${c} stream${c > 1 ? 's' : ''} (ms; direct: noise floor)`,
      cells: each((t) => fixed(addedGapP99(m, t, c), 3)),
    });
  }
  rows.push(
    {
      id: 'gap-100',
      label: 'inter-chunk gap p50 / p99, 100 streams (ms; paced every 50 ms)',
      cells: each(streamCell(m, 100, (s) => `${s.gapP50.toFixed(1)} / ${s.gapP99.toFixed(1)}`)),
    },
    {
      id: 'coalesced',
      label: 'chunks received / upstream events sent; coalesced streams (all levels)',
      cells: each((t) => {
        let got = 0;
        let sent = 0;
        let coalesced = 0;
        let seen = false;
        for (const level of Object.values(m.streams)) {
          const s = level[t];
          if (!s) continue;
          seen = true;
          got += s.chunksReceived;
          sent += s.chunksExpected;
          coalesced += s.coalescedStreams;
        }
        return seen ? `${got}/${sent}; ${coalesced}` : undefined;
      }),
    },
    {
      id: 'stream-errors',
      label: 'stream errors / streams (all levels)',
      cells: each((t) => {
        let errors = 0;
        let streams = 0;
        for (const level of Object.values(m.streams)) {
          errors += level[t]?.errors ?? 0;
          streams += level[t]?.streams ?? 0;
        }
        return streams ? `${errors}/${streams}` : undefined;
      }),
    },
    {
      id: 'cpu-stream',
      label: 'CPU time per stream, 100 streams (ms)',
      cells: each(streamCell(m, 100, (s) => fixed(s.cpuPerStreamMs, 2))),
    },
    {
      id: 'rss-idle',
      label: 'RSS idle, MB (private RssAnon)',
      cells: each((t) => rssCell(m.rssIdleMb[t], m.rssIdleAnonMb[t])),
    },
    {
      id: 'rss-idle-flags',
      label:
        'RSS idle, started with the flags given (as the extension and npm start do), MB (private)',
      cells: each((t) => rssCell(m.rssIdleFlagsGiven[t]?.rss, m.rssIdleFlagsGiven[t]?.anon)),
    },
    {
      id: 'rss-idle-settled',
      label:
        `RSS idle for good: the same bridges ${fixed(m.idleSettledAfterS, 0) ?? '45'} s after ` +
        'start, once V8 gave memory back while quiet, MB (private)',
      cells: each((t) => rssCell(m.rssIdleSettled[t]?.rss, m.rssIdleSettled[t]?.anon)),
    },
    {
      id: 'rss-1000',
      label: 'peak RSS with 1000 streams, MB (private; streams open at once)',
      cells: each(
        streamCell(
          m,
          1000,
          (s) => `${s.rssPeakMb.toFixed(1)} (${s.rssPeakAnonMb.toFixed(1)}; ${s.peakOpen} open)`,
        ),
      ),
    },
    ...memoryRows(m),
    {
      id: 'cold-start',
      label: 'cold start to ready, median (ms)',
      cells: each((t) => fixed(m.coldStartMs[t]?.median, 1)),
    },
    {
      id: 'size',
      label:
        'size (KB; bridge: what a start loads, dist/bridge.js + bridge-main.js; peer: its install)',
      cells: each((t) => fixed(m.sizeKb[t], 1)),
    },
    {
      id: 'adversarial-stall',
      label: 'worst event-loop delay under adversarial usage inputs (ms)',
      cells: each((t) => fixed(worstStall(m.adversarial[t]), 1)),
    },
    ...distantRows(m),
  );
  return rows;
}
