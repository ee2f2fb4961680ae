// Phase 1, non-streaming (simulator unpaced): probe, sequential added latency (interleaved
// rounds), throughput at each concurrency, CPU time per request.
import type { LoadGenerator } from './loadgen/driver';
import type { ProbeResult, Target } from './loadgen/protocol';
import type { Measurements } from './measurements';
import { cpuMs } from './procfs';
import type { Settings } from './settings';
import { chatBody } from './settings';
import type { Stack } from './stack';
import { percentile } from './stats';
import type { TargetName } from './targets';

type Log = (s: string) => void;

/** Probes each target; returns those that answer like direct does (the others are recorded). */
export async function probeTargets(
  gen: LoadGenerator,
  targets: Target[],
  stream: boolean,
  m: Measurements,
): Promise<{ working: Target[]; expected: string[] }> {
  const body = chatBody(stream);
  const results: ProbeResult[] = [];
  for (const target of targets)
    results.push(await gen.run({ kind: 'probe', target, body, stream }));
  const direct = results[0]!;
  if (direct.error) throw new Error(`the simulator itself failed the probe: ${direct.error}`);
  const working: Target[] = [];
  targets.forEach((t, i) => {
    const r = results[i]!;
    const name = t.name as TargetName;
    // The bridge's native mode may append a Sources list: compare the answer's start.
    const problem =
      r.error ??
      (r.content.startsWith(direct.content) ? undefined : `answered ${r.content.slice(0, 80)}`);
    if (problem === undefined) working.push(t);
    else {
      const why = `${stream ? 'stream' : 'request'} probe: ${problem}`;
      m.failed[name] = m.failed[name] ? `${m.failed[name]}; ${why}` : why;
    }
  });
  return { working, expected: direct.pieces };
}

export async function measureSequential(
  gen: LoadGenerator,
  targets: Target[],
  s: Settings,
  m: Measurements,
  log: Log,
): Promise<void> {
  log(`sequential latency: ${s.seq.rounds} interleaved rounds over ${targets.length} targets`);
  // Direct a second time, as if it were one more target: how far two identical columns land
  // apart is the resolution of "added latency" in this run.
  const direct = targets.find((t) => t.name === 'direct')!;
  const again = { ...direct, name: 'direct-again' };
  const r = await gen.run({
    kind: 'seq',
    targets: [...targets, again],
    rounds: s.seq.rounds,
    warmupRounds: s.seq.warmupRounds,
    body: chatBody(false),
  });
  for (const t of targets) {
    const lat = r.latencies[t.name] ?? [];
    m.seq[t.name as TargetName] = {
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      n: lat.length,
      errors: r.errors[t.name] ?? 0,
    };
  }
  const twin = r.latencies[again.name] ?? [];
  m.seqNoise = {
    p50: percentile(twin, 50) - m.seq.direct!.p50,
    p99: percentile(twin, 99) - m.seq.direct!.p99,
  };
}

export async function measureThroughput(
  gen: LoadGenerator,
  targets: Target[],
  s: Settings,
  m: Measurements,
  log: Log,
): Promise<void> {
  const { rounds, sliceMs, warmupMs } = s.throughput;
  for (const concurrency of s.throughput.concurrencies) {
    const totals = new Map<
      string,
      { completed: number; errors: number; ms: number; cpu: number }
    >();
    // Short slices, target after target, several rounds with the order rotated: slow drift
    // of a shared machine then lands on every target alike.
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < targets.length; k++) {
        const target = targets[(round + k) % targets.length]!;
        const r = await gen.run({
          kind: 'throughput',
          target,
          concurrency,
          durationMs: sliceMs,
          warmupMs,
          body: chatBody(false),
        });
        const t = totals.get(target.name) ?? { completed: 0, errors: 0, ms: 0, cpu: 0 };
        t.completed += r.completed;
        t.errors += r.errors;
        t.ms += r.elapsedMs;
        t.cpu = Math.max(t.cpu, r.generatorCpu);
        totals.set(target.name, t);
      }
    }
    const row: Measurements['throughput'][string] = {};
    m.throughput[String(concurrency)] = row;
    for (const target of targets) {
      const t = totals.get(target.name)!;
      const rps = (t.completed * 1000) / t.ms;
      row[target.name as TargetName] = { rps, errors: t.errors, generatorCpu: t.cpu };
      log(
        `throughput c=${concurrency} ${target.name}: ${rps.toFixed(0)} req/s` +
          (t.errors ? ` (${t.errors} errors)` : ''),
      );
    }
  }
}

export async function measureCpuPerRequest(
  gen: LoadGenerator,
  stack: Stack,
  targets: Target[],
  s: Settings,
  m: Measurements,
  log: Log,
): Promise<void> {
  const body = chatBody(false);
  for (const target of targets) {
    const pid = stack.pids[target.name as TargetName];
    if (pid === undefined) continue;
    await gen.run({
      kind: 'count',
      target,
      concurrency: s.cpu.concurrency,
      total: s.cpu.warmup,
      body,
    });
    const before = cpuMs(pid);
    const r = await gen.run({
      kind: 'count',
      target,
      concurrency: s.cpu.concurrency,
      total: s.cpu.total,
      body,
    });
    const used = cpuMs(pid) - before;
    m.cpuPerRequestMs[target.name as TargetName] = used / Math.max(1, r.completed);
    log(
      `cpu ${target.name}: ${(used / Math.max(1, r.completed)).toFixed(3)} ms per request ` +
        `(${r.completed} requests, ${r.errors} errors)`,
    );
  }
}
