// The run's headline ratios, in words, plus the check that the load generator was not the
// limit (direct, with no hop at all, must serve clearly more than anything behind a proxy).
import { addedGapP99, addedLatency } from './goals';
import type { Measurements } from './measurements';
import { TARGET_LABELS, type TargetName } from './targets';

const ms = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(3)} ms`);
const pct = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b <= 0 ? 'n/a' : `${((a / b) * 100).toFixed(0)}%`;
const times = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b <= 0 ? 'n/a' : `${(a / b).toFixed(2)}x`;

export function ratioLines(m: Measurements): string[] {
  const lines: string[] = [];
  const added = (t: TargetName) => addedLatency(m, t, 'p50');
  lines.push(
    `added latency p50 over direct: passthrough ${ms(added('passthrough'))}, bridge compat ` +
      `${ms(added('compat'))}, bridge native ${ms(added('native'))}, Portkey ${ms(added('peer'))}; ` +
      `compat = ${times(added('compat'), added('peer'))} Portkey's, native = ` +
      `${times(added('native'), added('peer'))} Portkey's, compat = ` +
      `${times(added('compat'), added('passthrough'))} one bare hop's`,
  );
  const rps = (t: TargetName) => m.throughput['64']?.[t]?.rps;
  lines.push(
    `throughput at c=64 as a share of passthrough's: compat ${pct(rps('compat'), rps('passthrough'))}, ` +
      `native ${pct(rps('native'), rps('passthrough'))}, Portkey ${pct(rps('peer'), rps('passthrough'))}`,
  );
  const cpu = (t: TargetName) => m.cpuPerRequestMs[t];
  lines.push(
    `CPU per request vs passthrough's: compat ${times(cpu('compat'), cpu('passthrough'))}, ` +
      `native ${times(cpu('native'), cpu('passthrough'))}, Portkey ${times(cpu('peer'), cpu('passthrough'))}`,
  );
  lines.push(
    `added inter-chunk latency p99 at 100 streams: compat ${ms(addedGapP99(m, 'compat', 100))}, ` +
      `native ${ms(addedGapP99(m, 'native', 100))}, passthrough ${ms(addedGapP99(m, 'passthrough', 100))}, ` +
      `Portkey ${ms(addedGapP99(m, 'peer', 100))}`,
  );
  lines.push(generatorCheck(m));
  return lines;
}

export function generatorCheck(m: Measurements): string {
  const row = m.throughput['64'] ?? {};
  const direct = row.direct?.rps;
  let best: [TargetName, number] | undefined;
  for (const [t, f] of Object.entries(row) as [TargetName, { rps: number }][]) {
    if (t !== 'direct' && (best === undefined || f.rps > best[1])) best = [t, f.rps];
  }
  let busiest = 0;
  for (const level of Object.values(m.throughput)) {
    for (const f of Object.values(level)) busiest = Math.max(busiest, f?.generatorCpu ?? 0);
  }
  if (direct === undefined || best === undefined) return 'generator check: not enough data';
  const ratio = direct / best[1];
  const verdict =
    ratio >= 1.2
      ? 'the generator is not the bottleneck'
      : 'CAUTION: direct is not clearly faster, the generator may be the limit';
  return (
    `generator check: direct at c=64 served ${direct.toFixed(0)} req/s, ${ratio.toFixed(2)}x the ` +
    `fastest proxy (${TARGET_LABELS[best[0]]}, ${best[1].toFixed(0)} req/s); the generator used at ` +
    `most ${busiest.toFixed(2)} of a core: ${verdict}`
  );
}
