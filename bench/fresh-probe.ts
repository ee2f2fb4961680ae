// Probe: a fresh bridge's first question against its second and third, over a distant upstream
// (40 ms round trip, http), for variants of the bridge's arguments, interleaved run by run.
// Usage: node --import tsx bench/fresh-probe.ts [runs] ['variant args and NAME=value' ...]
//   e.g. node --import tsx bench/fresh-probe.ts 8 '' '--no-rehearsal'
import { setTimeout as sleep } from 'node:timers/promises';
import { ask, bridgeEndpoint } from './distant-client';
import { BRIDGE_JS } from './paths';
import { startDistantSimulator } from './phase-distant';
import { readyJson } from './processes';
import { settingsFor } from './settings';
import { startBridge } from './stack';
import { median } from './stats';

const runs = Number(process.argv[2] ?? 5);
const variants = process.argv.length > 3 ? process.argv.slice(3) : [''];
const question = (n: number) => ({
  model: 'customgpt',
  stream: true,
  messages: [{ role: 'user', content: `Question ${n}: how do I install Acme Rocket?` }],
});

async function main(): Promise<void> {
  // The bench's distant upstream (40 ms round trip), paced every 50 ms as the streaming phase is.
  const sim = await startDistantSimulator({ ...settingsFor([]).distant, chunkDelayMs: 50 });
  const simUrl = String(readyJson(sim.readyLine)!.url);
  const results = new Map<string, number[][]>();
  try {
    // A first throwaway run warms the simulator and this process's own client code.
    for (let run = -1; run < runs; run++) {
      for (const mode of ['native', 'compat'] as const) {
        for (const v of variants) {
          // NAME=value words set the bridge's environment; the rest are its arguments.
          const words = v.split(' ').filter(Boolean);
          const env = Object.fromEntries(
            words.filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w)).map((w) => w.split(/=(.*)/s)),
          );
          const args = words.filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
          const p = await startBridge(BRIDGE_JS, simUrl, mode, [], env, args);
          const e = bridgeEndpoint(p);
          try {
            await sleep(1000);
            const times: number[] = [];
            // A human's next question comes later than the upstream's end of the last answer.
            for (let n = 1; n <= 3; n++, await sleep(300))
              times.push((await ask(e, question(n))).ttftMs);
            const key = `${mode} ${v || '(default)'}`;
            if (run >= 0) results.set(key, [...(results.get(key) ?? []), times]);
          } finally {
            await e.pool.destroy();
            await p.stop();
          }
        }
      }
    }
  } finally {
    await sim.stop();
  }
  for (const [key, rows] of results) {
    const col = (i: number) => median(rows.map((r) => r[i]!)).toFixed(1);
    console.log(
      `${key.padEnd(28)} first ${col(0)}  second ${col(1)}  third ${col(2)} ms (median of ${rows.length})`,
    );
  }
}
void main();
