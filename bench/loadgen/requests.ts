// Non-streaming load: interleaved sequential latency, closed-loop throughput, and a fixed count.
// Every request reads its whole body, as a client would, before it counts as done.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type {
  CountJob,
  CountResult,
  SeqJob,
  SeqResult,
  Target,
  ThroughputJob,
  ThroughputResult,
} from './protocol';

export function poolFor(target: Target, connections: number): Pool {
  return new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
}

export function headersOf(target: Target): Record<string, string> {
  return { ...target.headers, 'content-type': 'application/json' };
}

/** One request, body read in full; true for a 200. */
async function once(
  pool: Pool,
  target: Target,
  headers: Record<string, string>,
  body: string,
): Promise<boolean> {
  const res = await pool.request({ method: 'POST', path: target.path, headers, body });
  await res.body.arrayBuffer();
  return res.statusCode === 200;
}

export async function runSeq(job: SeqJob): Promise<SeqResult> {
  const pools = job.targets.map((t) => poolFor(t, 1));
  const headers = job.targets.map(headersOf);
  const latencies: Record<string, number[]> = {};
  const errors: Record<string, number> = {};
  for (const t of job.targets) {
    latencies[t.name] = [];
    errors[t.name] = 0;
  }
  const n = job.targets.length;
  try {
    for (let round = 0; round < job.warmupRounds + job.rounds; round++) {
      const measured = round >= job.warmupRounds;
      // Rotate the order each round so no target always follows the same neighbour.
      for (let k = 0; k < n; k++) {
        const i = (round + k) % n;
        const t = job.targets[i]!;
        const start = performance.now();
        let ok = false;
        try {
          ok = await once(pools[i]!, t, headers[i]!, job.body);
        } catch {
          ok = false;
        }
        const ms = performance.now() - start;
        if (!measured) continue;
        if (ok) latencies[t.name]!.push(ms);
        else errors[t.name]!++;
      }
    }
  } finally {
    await Promise.all(pools.map((p) => p.destroy()));
  }
  return { kind: 'seq', latencies, errors };
}

export async function runThroughput(job: ThroughputJob): Promise<ThroughputResult> {
  const pool = poolFor(job.target, job.concurrency);
  const headers = headersOf(job.target);
  let counting = false;
  let stop = false;
  let completed = 0;
  let errors = 0;
  const worker = async () => {
    while (!stop) {
      let ok = false;
      try {
        ok = await once(pool, job.target, headers, job.body);
      } catch {
        ok = false;
      }
      if (!counting) continue;
      if (ok) completed++;
      else errors++;
    }
  };
  const workers = Array.from({ length: job.concurrency }, worker);
  await sleep(job.warmupMs);
  counting = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(job.durationMs);
  counting = false;
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stop = true;
  await Promise.all(workers);
  await pool.destroy();
  return {
    kind: 'throughput',
    completed,
    errors,
    elapsedMs,
    rps: (completed * 1000) / elapsedMs,
    generatorCpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
  };
}

export async function runCount(job: CountJob): Promise<CountResult> {
  const pool = poolFor(job.target, job.concurrency);
  const headers = headersOf(job.target);
  let issued = 0;
  let completed = 0;
  let errors = 0;
  const worker = async () => {
    while (issued < job.total) {
      issued++;
      try {
        if (await once(pool, job.target, headers, job.body)) completed++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  await pool.destroy();
  return { kind: 'count', completed, errors, elapsedMs };
}
