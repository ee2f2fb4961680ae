// npm run bench [-- --quick] [-- --no-peer] [-- --profile]
// Measures, side by side in one run, the simulator itself (direct), a bare proxy hop
// (passthrough), the bridge in native and compat mode, and Portkey's gateway (peer): each a
// process of its own on loopback, driven by a load generator in yet another process. Writes
// bench/results/latest.json and latest.md and prints the table and its ratios.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleBenchPrograms } from './bundle';
import { judgeAll } from './goals';
import { LoadGenerator } from './loadgen/driver';
import { setLoopPhase, stallCpu, worstLoopDelays } from './loop-reports';
import { renderMarkdown, renderTable } from './markdown';
import { emptyMeasurements, type Measurements } from './measurements';
import { BRIDGE_JS, LOADGEN_JS, RESULTS, SIMULATOR_JS } from './paths';
import { ensurePeer, type PeerInstall } from './peer';
import { measureDistant } from './phase-distant';
import { measureEventLoop } from './phase-event-loop';
import {
  measureCpuPerRequest,
  measureSequential,
  measureThroughput,
  probeTargets,
} from './phase-requests';
import {
  measureColdStarts,
  measureIdleFlagsGiven,
  measureNodeFloor,
  measureSizes,
} from './phase-startup';
import { measureStreams } from './phase-streams';
import { killAll } from './processes';
import { memoryMb } from './procfs';
import { runProfile } from './profile';
import { ratioLines } from './ratios';
import { buildRows } from './rows';
import { type Settings, settingsFor } from './settings';
import { type Stack, startStack } from './stack';
import type { TargetName } from './targets';

const started = performance.now();
const log = (s: string) =>
  process.stderr.write(`[bench +${((performance.now() - started) / 1000).toFixed(1)}s] ${s}\n`);

async function measure(s: Settings, withPeer: boolean, m: Measurements): Promise<void> {
  const names: TargetName[] = [
    'passthrough',
    'native',
    'compat',
    ...(withPeer ? ['peer' as const] : []),
  ];
  const gen = LoadGenerator.start(LOADGEN_JS);
  try {
    log('phase 1: non-streaming (simulator unpaced)');
    setLoopPhase('requests');
    let stack = await startStack({
      chunkDelayMs: 0,
      chunkSize: s.streams.chunkSize,
      targets: names,
    });
    try {
      await sleep(s.idleSettleMs);
      for (const [name, pid] of Object.entries(stack.pids) as [TargetName, number][]) {
        const mem = memoryMb(pid);
        m.rssIdleMb[name] = mem.rss;
        m.rssIdleAnonMb[name] = mem.anon;
      }
      // Both only wait for their processes to settle: side by side, not one after the other.
      const [floor, idleBridges] = await Promise.all([
        measureNodeFloor(s.idleSettleMs),
        measureIdleFlagsGiven(stack.simUrl, s.idleSettleMs, m),
      ]);
      m.nodeFloorMb = floor;
      // The idle bridges stay up, idle, through the load below (other processes), and are read
      // again once settled. (Should anything fail, the bench kills its children as it exits.)
      try {
        const { working } = await probeTargets(gen, stack.targets, false, m);
        await measureSequential(gen, working, s, m, log);
        await measureThroughput(gen, working, s, m, log);
        await measureCpuPerRequest(gen, stack, working, s, m, log);
      } catch (err) {
        await idleBridges.stop();
        throw err;
      }
      await idleBridges.settled(s.idleSettledMs);
    } catch (err) {
      await stack.stop();
      throw err;
    }
    // Phase 1's processes stay up, idle, while phase 2 runs: their memory is read again a
    // minute after the burst ended.
    const burst = afterBurst(stack.pids, m);
    const firstStack = stack;
    setLoopPhase('streams');
    log(
      `phase 2: streaming (simulator sends ${s.streams.chunkSize} characters every ` +
        `${s.streams.chunkDelayMs} ms)`,
    );
    stack = await startStack({
      chunkDelayMs: s.streams.chunkDelayMs,
      chunkSize: s.streams.chunkSize,
      targets: names,
    });
    try {
      const { working, expected } = await probeTargets(gen, stack.targets, true, m);
      await measureStreams(gen, stack, working, expected, s, m, log);
      log('phase 3: cold starts');
      setLoopPhase('cold starts');
      await measureColdStarts(stack.simUrl, s.coldStarts, withPeer, m, log);
    } finally {
      await stack.stop();
    }
    log('phase 4: distant upstream');
    setLoopPhase('distant');
    await measureDistant(s.distant, m, log);
    await burst.settled(s.settleAfterBurstMs);
    await firstStack.stop();
    measureSizes(withPeer, m);
    log('phase 4: event loop under adversarial usage inputs');
    setLoopPhase('adversarial');
    await measureEventLoop(m, log);
    const loops = worstLoopDelays();
    Object.assign(m.loopDelayMaxMs, loops.max);
    Object.assign(m.loopDelayP99Ms, loops.p99);
    m.loopDelayByPhaseMs = loops.byPhase;
    Object.assign(m.loopWorstStall, loops.stall);
    m.loopWorstStallByPhase = loops.stallByPhase;
  } finally {
    await gen.stop();
  }
}

/** Reads memory now (right after the burst); `settled` reads it again once `ms` have passed. */
function afterBurst(pids: Stack['pids'], m: Measurements): { settled(ms: number): Promise<void> } {
  const at = performance.now();
  for (const [name, pid] of Object.entries(pids) as [TargetName, number][])
    m.rssAfterBurst[name] = memoryMb(pid);
  return {
    async settled(ms) {
      await sleep(Math.max(0, ms - (performance.now() - at)));
      m.settledAfterS = (performance.now() - at) / 1000;
      for (const [name, pid] of Object.entries(pids) as [TargetName, number][])
        m.rssSettled[name] = memoryMb(pid);
    },
  };
}

function notesFor(
  s: Settings,
  m: Measurements,
  peer: PeerInstall | string | undefined,
  seconds: number,
  load: number[],
): string[] {
  const notes = [
    'Like-for-like comparison: **bridge compat** (one upstream call per request, as direct, ' +
      'passthrough and Portkey make). Bridge native also creates a CustomGPT.ai conversation ' +
      'before each answer (two upstream calls), so it does more work by design.',
    'Non-streaming requests get a plain JSON answer from the upstream on every path: the bridge ' +
      'asks CustomGPT.ai for JSON (stream=false) when its client does not stream.',
    `Non-streaming figures: simulator unpaced. Streaming figures: the simulator sends ${s.streams.chunkSize} ` +
      `characters every ${s.streams.chunkDelayMs} ms; starts are spread over one such interval. Time ` +
      'to first chunk is to the first chunk with content. Added inter-chunk latency = p99 of the ' +
      "target's gaps between content chunks minus the p99 gap of a control group of direct " +
      'streams (a quarter as many, 1 to 100) run at the same time, so machine noise hits both; ' +
      "the direct column is direct against its own control: the measurement's noise floor.",
    "Native mode's upstream stream opens with a `start` event one pacing interval before the " +
      'first text, so its time to first chunk includes one extra interval by design.',
    'CPU and RSS are read from /proc for the target process (direct: the simulator). CPU per ' +
      `request: ${s.cpu.total} requests at concurrency ${s.cpu.concurrency}, after ${s.cpu.warmup} warm-up.`,
    `Sequential latency: ${s.seq.rounds} rounds (after ${s.seq.warmupRounds} warm-up), one ` +
      'request to each target per round, order rotated each round; direct runs twice in each ' +
      'round, and the second minus the first is the noise floor shown in the direct column. A ' +
      'verdict whose noise floor is as large as its target reads "inconclusive".',
    `Throughput: closed loop; per level, ${s.throughput.rounds} round(s) of one ${s.throughput.sliceMs} ms ` +
      `slice per target (after ${s.throughput.warmupMs} ms warm-up each), order rotated per round.`,
  ];
  if (typeof peer === 'string') notes.push(`Peer not run: ${peer}`);
  else if (peer) {
    notes.push(
      `Peer: ${'@portkey-ai/gateway'} ${peer.version} (--headless; dependencies as of its release: ` +
        `@hono/node-server ${peer.honoNodeServer}, hono ${peer.hono}), patched for its Node streaming ` +
        'bug (Portkey-AI/gateway #1550, fix of PR #1551): unpatched it fails every streaming request.',
    );
  }
  if (m.nodeFloorMb) {
    notes.push(
      `Memory floor: a bare node:http server on this Node idles at ${m.nodeFloorMb.rss.toFixed(1)} MB ` +
        `VmRSS, of which only ${m.nodeFloorMb.anon.toFixed(1)} MB is private (RssAnon); the rest is ` +
        "the node binary's file pages, shared with every node process. RSS cells show VmRSS with " +
        'RssAnon in parentheses.',
    );
  }
  notes.push(
    'Worst event-loop delay under adversarial usage inputs: each input of ' +
      'test/support/adversarial-texts.ts (60,000 CJK characters, 20,000 emoji, 20,000 Cyrillic ' +
      'letters, one 1 MB word, 10,000 turns) streamed with include_usage to a freshly started ' +
      'bridge while this process polled its /bridge/health back to back; the figure is the ' +
      "slowest poll answer, an upper bound of the bridge's event-loop delay. Per input: latest.json.",
  );
  const byPhase = Object.entries(m.loopDelayByPhaseMs).sort(([a], [b]) => a.localeCompare(b));
  if (byPhase.length > 0) {
    notes.push(
      'Worst event-loop delay by the phase its bridge was started in (a phase-1 bridge stays up, ' +
        'idle, to the end): ' +
        byPhase
          .map(([k, ms]) => {
            const stall = m.loopWorstStallByPhase[k];
            const cpu = stall ? ` (${stallCpu(stall)})` : '';
            return `${k.replace(/_/g, ' ')} ${ms.toFixed(1)} ms${cpu}`;
          })
          .join(', ') +
        '. In brackets: the worst stall of a 10 ms timer in that bridge, from its tick before to ' +
        "the late one, and the main thread's CPU time within it; for the rest the thread was not " +
        "running, waiting for a core (the bench shares the machine's cores with its load " +
        'generator and simulator).',
    );
  }
  if (m.mcpChunkKb !== undefined) {
    notes.push(
      'Size: dist/bridge.js is a launcher (sets the V8 flags, then loads dist/bridge-main.js); ' +
        `the MCP SDK and zod, dist/mcp-sdk.js (${m.mcpChunkKb.toFixed(1)} KB), are read only on the ` +
        'first /mcp request or --mcp-stdio, so they are not in the size row. Cold starts after the ' +
        "first use the bridge's compile cache (~/.cache/customgpt-bridge), as a user's do.",
    );
  }
  for (const [t, why] of Object.entries(m.failed)) notes.push(`**${t} failed**: ${why}`);
  notes.push(
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ` +
      `load average ${load.map((l) => l.toFixed(2)).join(' ')} at the start; shared and noisy, so ` +
      'compare columns within one run, not across runs.',
    `Run: ${s.quick ? '--quick' : 'full'}, ${seconds.toFixed(0)} s.`,
  );
  return notes;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const s = settingsFor(argv);
  for (const f of [BRIDGE_JS, SIMULATOR_JS]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
  }
  const load = loadavg();
  await bundleBenchPrograms();
  if (argv.includes('--profile')) {
    await runProfile(log);
    return;
  }
  let peer: PeerInstall | string | undefined;
  if (s.peer) {
    try {
      peer = ensurePeer(log);
    } catch (err) {
      peer = err instanceof Error ? err.message : String(err);
      log(`peer unavailable, going on without it: ${peer}`);
    }
  } else peer = 'skipped (--no-peer)';
  const withPeer = typeof peer === 'object';
  const m = emptyMeasurements();
  await measure(s, withPeer, m);

  const seconds = (performance.now() - started) / 1000;
  const goals = judgeAll(m);
  const rows = buildRows(
    m,
    s.streams.levels.map((l) => l.concurrency),
    s.throughput.concurrencies,
  );
  const table = renderTable(rows, goals);
  const ratios = ratioLines(m);
  const notes = notesFor(s, m, peer, seconds, load);
  mkdirSync(RESULTS, { recursive: true });
  const date = new Date().toISOString();
  writeFileSync(
    join(RESULTS, 'latest.json'),
    `${JSON.stringify(
      {
        date,
        seconds,
        quick: s.quick,
        node: process.version,
        cpus: cpus().length,
        loadavgAtStart: load,
        settings: s,
        peer,
        measurements: m,
        goals,
        ratios,
      },
      null,
      2,
    )}\n`,
  );
  const md = renderMarkdown({ title: `Bench results (${date})`, table, ratios, notes });
  writeFileSync(join(RESULTS, 'latest.md'), md);
  process.stdout.write(`${table}\n\n${ratios.map((r) => `- ${r}`).join('\n')}\n`);
  const missed = goals.flatMap((g) =>
    g.verdicts.compat.met === false ? [`${g.id} (compat: ${g.verdicts.compat.shown})`] : [],
  );
  log(
    `done in ${seconds.toFixed(0)} s; wrote bench/results/latest.json and latest.md` +
      (missed.length ? `; compat missed: ${missed.join(', ')}` : '; compat met every target'),
  );
}

// Whatever way the bench ends, nothing it started outlives it.
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}
main().then(
  () => killAll(),
  (err: unknown) => {
    killAll();
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
