// Cold start (spawn -> ready line, median of several), shipped size, and idle memory beside the
// main measurement's (a bare Node's floor; the bridge started with its flags given).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOOP_REPORT_ENV } from '../bridge/loop-delay';
import { missingEnv, RUNTIME_FLAGS } from '../bridge/runtime-flags';
import type { Measurements } from './measurements';
import { BRIDGE_JS, BRIDGE_MAIN_JS, MCP_SDK_JS, PASSTHROUGH_JS } from './paths';
import { PEER_SERVER_JS } from './peer';
import { readyJson, spawnNode } from './processes';
import { type MemoryMb, memoryMb } from './procfs';
import { startBridge, startPeer } from './stack';
import { median } from './stats';
import type { TargetName } from './targets';

export async function measureColdStarts(
  simUrl: string,
  runs: number,
  withPeer: boolean,
  m: Measurements,
  log: (s: string) => void,
): Promise<void> {
  const starters: [TargetName, () => ReturnType<typeof startBridge>][] = [
    [
      'passthrough',
      () =>
        spawnNode('passthrough', PASSTHROUGH_JS, ['--upstream', simUrl], {
          isReady: (l) => readyJson(l) !== undefined,
        }),
    ],
    ['native', () => startBridge(BRIDGE_JS, simUrl, 'native')],
    ['compat', () => startBridge(BRIDGE_JS, simUrl, 'compat')],
  ];
  if (withPeer) starters.push(['peer', async () => (await startPeer()).started]);
  const times: Partial<Record<TargetName, number[]>> = {};
  // Interleaved, one process at a time: each start has the machine to itself.
  for (let i = 0; i < runs; i++) {
    for (const [name, start] of starters) {
      const p = await start();
      const list = times[name] ?? [];
      list.push(p.readyMs);
      times[name] = list;
      await p.stop();
    }
  }
  for (const [name, runsMs] of Object.entries(times) as [TargetName, number[]][]) {
    m.coldStartMs[name] = { median: median(runsMs), runs: runsMs };
    log(`cold start ${name}: median ${median(runsMs).toFixed(1)} ms of ${runsMs.length}`);
  }
}

/**
 * Idle memory of each mode's bridge started the way the extension and `npm start` start it:
 * the bridge's V8 flags on node's own command line and its environment set, so the launcher has
 * nothing to add and does not re-execute (the bench's other bridges are started as
 * `node dist/bridge.js`). Read `settleMs` after start, and again by `settled` once the bridges
 * have been quiet long enough for V8 to give memory back (after 25-30 s without a request the
 * bridge lets V8 favour memory, bridge/idle-gc.ts, and V8's memory reducer runs within about
 * 8 s): the memory a bridge sits at all day in an editor. They keep no event-loop report (they
 * serve nothing, so they add nothing to its figures, and its 10 ms timer is not a user's). They
 * idle beside the load of the phase that runs meanwhile; their reducer's two collections, a few
 * ms each, take that much of a shared core from it.
 */
export async function measureIdleFlagsGiven(
  simUrl: string,
  settleMs: number,
  m: Measurements,
): Promise<{ settled(afterStartMs: number): Promise<void>; stop(): Promise<unknown> }> {
  const at = performance.now();
  const bridges = await Promise.all(
    (['native', 'compat'] as const).map(async (mode) => ({
      mode,
      started: await startBridge(BRIDGE_JS, simUrl, mode, [...RUNTIME_FLAGS], {
        ...missingEnv(process.env, process.platform),
        [LOOP_REPORT_ENV]: '',
      }),
    })),
  );
  const stop = () => Promise.all(bridges.map((b) => b.started.stop()));
  try {
    await sleep(settleMs);
    for (const { mode, started } of bridges) m.rssIdleFlagsGiven[mode] = memoryMb(started.pid);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    stop,
    async settled(afterStartMs) {
      try {
        await sleep(Math.max(0, afterStartMs - (performance.now() - at)));
        m.idleSettledAfterS = (performance.now() - at) / 1000;
        for (const { mode, started } of bridges) m.rssIdleSettled[mode] = memoryMb(started.pid);
      } finally {
        await stop();
      }
    },
  };
}

/** Idle memory of a bare node:http server on the same node binary. */
export async function measureNodeFloor(settleMs: number): Promise<MemoryMb> {
  const p = await spawnNode(
    'node floor',
    '-e',
    [
      "require('node:http').createServer().listen(0, '127.0.0.1', () => " +
        'console.log(JSON.stringify({ event: "ready" })))',
    ],
    { isReady: (l) => readyJson(l) !== undefined },
  );
  try {
    await sleep(settleMs);
    return memoryMb(p.pid);
  } finally {
    await p.stop();
  }
}

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

export function measureSizes(withPeer: boolean, m: Measurements): void {
  // What every start reads: the launcher and the bridge. The MCP chunk, read on the first /mcp
  // request only, is reported beside it (mcpChunkKb).
  m.sizeKb.compat = (statSync(BRIDGE_JS).size + statSync(BRIDGE_MAIN_JS).size) / 1024;
  m.mcpChunkKb = statSync(MCP_SDK_JS).size / 1024;
  m.sizeKb.native = m.sizeKb.compat;
  m.sizeKb.passthrough = statSync(PASSTHROUGH_JS).size / 1024;
  // The peer runs from its install: its entry file plus the node_modules it needs.
  if (withPeer) m.sizeKb.peer = treeBytes(join(PEER_SERVER_JS, '..', '..', '..', '..')) / 1024;
}
