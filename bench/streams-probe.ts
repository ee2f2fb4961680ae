// Probe: the bridge's memory with many open streams, for comparing V8 flags or environments when
// the full bench's one figure per mode is not enough. Per mode: a fresh bridge, 100 streams in
// two waves (warm-up), then CONC streams at once (default 1,000, the bench's level), simulator
// paced 16 characters every 50 ms; prints peak RSS (VmRSS and private RssAnon), CPU per stream,
// and the private memory by mapping kind (/proc/PID/smaps: the V8 heap and thread arenas are
// anonymous mappings, glibc's main arena is [heap]) before, right after and while idle after.
// Usage: node --import tsx bench/streams-probe.ts
//   environment: MODES=native,compat  CONC=1000  NODE_ARGS='--heap-growing-percent=0'
//                BRIDGE_ENV='{"GLIBC_TUNABLES":"..."}'  IDLE_STEPS=3  IDLE_STEP_MS=15000
//                BRIDGE_SCRIPT=/elsewhere/dist/bridge.js (another build; default: this one's)
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleBenchPrograms } from './bundle';
import { LoadGenerator } from './loadgen/driver';
import type { Target } from './loadgen/protocol';
import { BRIDGE_JS, LOADGEN_JS } from './paths';
import { readyJson, runProbe, type Started, stopAll } from './processes';
import { cpuMs, memoryMb, sampleRss } from './procfs';
import { chatBody } from './settings';
import { bridgeTarget, spawnSimulator, startBridge } from './stack';

const modes = (process.env.MODES ?? 'native,compat').split(',') as ('native' | 'compat')[];
const concurrency = Number(process.env.CONC ?? 1000);
const nodeArgs = process.env.NODE_ARGS ? process.env.NODE_ARGS.split(' ') : [];
const bridgeEnv = JSON.parse(process.env.BRIDGE_ENV ?? '{}') as NodeJS.ProcessEnv;
const idleSteps = Number(process.env.IDLE_STEPS ?? 0);
const idleStepMs = Number(process.env.IDLE_STEP_MS ?? 15_000);
const script = process.env.BRIDGE_SCRIPT ?? BRIDGE_JS;

/** Private (anonymous) memory in MB by mapping: "anon" for unnamed mappings, else its name. */
function privateByMapping(pid: number): string {
  const mb: Record<string, number> = {};
  let mapping = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      mapping = head[1] || 'anon';
      if (mapping.startsWith('/')) mapping = 'files';
      continue;
    }
    const anon = /^Anonymous:\s+(\d+) kB/.exec(line);
    if (anon) mb[mapping] = (mb[mapping] ?? 0) + Number(anon[1]) / 1024;
  }
  return Object.entries(mb)
    .filter(([, v]) => v >= 0.5)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ');
}

async function streams(gen: LoadGenerator, target: Target, pid: number, n: number, waves: number) {
  const rss = sampleRss(pid);
  const cpu0 = cpuMs(pid);
  const r = await gen.run({
    kind: 'streams',
    target,
    concurrency: n,
    control: undefined,
    waves,
    staggerMs: 50,
    body: chatBody(true),
    expected: [],
  });
  if (r.kind !== 'streams') throw new Error(`unexpected ${r.kind} result`);
  const peak = rss.stop();
  return (
    `${n} x${waves}: ${r.target.peakOpen} open, ${r.target.errors} errors, peak RSS ` +
    `${peak.rss.toFixed(1)} MB (private ${peak.anon.toFixed(1)}), CPU per stream ` +
    `${((cpuMs(pid) - cpu0) / (n * waves)).toFixed(2)} ms`
  );
}

async function main(): Promise<void> {
  await bundleBenchPrograms();
  const procs: Started[] = [];
  const sim = await spawnSimulator('simulator', ['--chunk-size', '16', '--chunk-delay', '50']);
  procs.push(sim);
  const simUrl = String(readyJson(sim.readyLine)!.url);
  const gen = LoadGenerator.start(LOADGEN_JS);
  try {
    for (const mode of modes) {
      const p = await startBridge(script, simUrl, mode, nodeArgs, bridgeEnv);
      procs.push(p);
      const target = bridgeTarget(mode, p);
      await sleep(1500);
      console.log(`${mode} idle: private ${privateByMapping(p.pid)}`);
      console.log(`${mode} ${await streams(gen, target, p.pid, 100, 2)}`);
      console.log(`${mode} ${await streams(gen, target, p.pid, concurrency, 1)}`);
      console.log(`${mode} right after: private ${privateByMapping(p.pid)}`);
      for (let i = 1; i <= idleSteps; i++) {
        await sleep(idleStepMs);
        const m = memoryMb(p.pid);
        console.log(
          `${mode} ${(i * idleStepMs) / 1000} s after: RSS ${m.rss.toFixed(1)} MB, private ` +
            privateByMapping(p.pid),
        );
      }
      await p.stop();
    }
  } finally {
    await gen.stop();
    await stopAll(procs);
  }
}

runProbe(main);
