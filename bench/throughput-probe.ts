// A focused throughput probe, for comparing bridge builds or settings side by side when the full
// bench's one figure swings too much between runs: the simulator (unpaced), the passthrough and
// each bridge variant as processes, then `rounds` one-second slices per target at concurrency
// CONC (default 64), order rotated per round, with CPU per request read from /proc.
// Usage: node --import tsx bench/throughput-probe.ts variants.json [rounds] [seqRounds]
//   variants.json: [{ "name": "now", "script": "dist/bridge.js", "mode": "compat",
//                     "nodeArgs": [], "env": { "NODE_DISABLE_COMPILE_CACHE": "1" } }, ...]
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleBenchPrograms } from './bundle';
import { LoadGenerator } from './loadgen/driver';
import type { Target } from './loadgen/protocol';
import { LOADGEN_JS, PASSTHROUGH_JS } from './paths';
import { readyJson, runProbe, type Started, spawnNode, stopAll } from './processes';
import { cpuMs, memoryMb } from './procfs';
import { chatBody } from './settings';
import { bridgeTarget, spawnSimulator, startBridge } from './stack';
import { SIM_CHAT_PATH, SIM_KEY } from './targets';

interface Variant {
  name: string;
  script: string;
  mode?: 'compat' | 'native';
  nodeArgs?: string[];
  env?: Record<string, string>;
}
const variants = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Variant[];
const rounds = Number(process.argv[3] ?? 6);
const seqRounds = Number(process.argv[4] ?? 1500);
const conc = Number(process.env.CONC ?? 64);

async function main() {
  await bundleBenchPrograms();
  const procs: Started[] = [];
  const sim = await spawnSimulator('simulator', ['--chunk-size', '16', '--chunk-delay', '0']);
  procs.push(sim);
  const simUrl = String(readyJson(sim.readyLine)!.url);
  const auth = { authorization: `Bearer ${SIM_KEY}` };
  const targets: Target[] = [];
  const pids: Record<string, number> = {};
  const pt = await spawnNode('passthrough', PASSTHROUGH_JS, ['--upstream', simUrl], {
    isReady: (l) => readyJson(l) !== undefined,
  });
  procs.push(pt);
  targets.push({
    name: 'passthrough',
    origin: `http://127.0.0.1:${Number(readyJson(pt.readyLine)!.port)}`,
    path: SIM_CHAT_PATH,
    headers: auth,
  });
  pids.passthrough = pt.pid;
  for (const v of variants) {
    const p = await startBridge(
      v.script,
      simUrl,
      v.mode ?? 'compat',
      v.nodeArgs ?? [],
      v.env ?? {},
    );
    procs.push(p);
    targets.push(bridgeTarget(v.name, p));
    pids[v.name] = p.pid;
  }
  const gen = LoadGenerator.start(LOADGEN_JS);
  const body = chatBody(false);
  try {
    await sleep(1000);
    if (seqRounds > 0)
      await gen.run({ kind: 'seq', targets, rounds: seqRounds, warmupRounds: 100, body });
    for (const t of targets)
      await gen.run({
        kind: 'throughput',
        target: t,
        concurrency: 1,
        durationMs: 1000,
        warmupMs: 300,
        body,
      });
    const tot = new Map<string, { c: number; ms: number; cpu: number; per: number[] }>();
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < targets.length; k++) {
        const t = targets[(round + k) % targets.length]!;
        const c0 = cpuMs(pids[t.name]!);
        const r = await gen.run({
          kind: 'throughput',
          target: t,
          concurrency: conc,
          durationMs: 1000,
          warmupMs: 300,
          body,
        });
        const c1 = cpuMs(pids[t.name]!);
        const x = tot.get(t.name) ?? { c: 0, ms: 0, cpu: 0, per: [] };
        x.c += r.completed;
        x.ms += r.elapsedMs;
        x.cpu += c1 - c0;
        x.per.push(r.rps);
        if (r.errors) console.log(`${t.name} errors ${r.errors}`);
        tot.set(t.name, x);
      }
    }
    const ptRps = (tot.get('passthrough')!.c * 1000) / tot.get('passthrough')!.ms;
    for (const t of targets) {
      const x = tot.get(t.name)!;
      const rps = (x.c * 1000) / x.ms;
      const m = memoryMb(pids[t.name]!);
      console.log(
        `${t.name.padEnd(22)} ${rps.toFixed(0).padStart(6)} req/s  ${((100 * rps) / ptRps).toFixed(1).padStart(5)}%  cpu/req=${(x.cpu / x.c).toFixed(3)}ms  slices=[${x.per.map((p) => p.toFixed(0)).join(' ')}]  rss=${m.rss.toFixed(1)}MB  n=${x.c} pid=${pids[t.name]}`,
      );
    }
  } finally {
    await gen.stop();
    if (process.env.PROBE_LINGER_MS) await sleep(Number(process.env.PROBE_LINGER_MS));
    await stopAll(procs);
  }
}
runProbe(main);
