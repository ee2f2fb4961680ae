// npm run bench -- --profile: CPU profiles of the bridge under load, summarised by function.
// The bridge is bundled unminified (readable names) into the cache, not into dist/, so a
// profile run never leaves dist/ different from what `npm run build` makes. Each mode gets two
// profiles: non-streaming closed-loop load, and many paced streams.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { type CpuProfile, moduleIndex, renderSummary, summarize } from './cpuprofile';
import { LoadGenerator } from './loadgen/driver';
import { CACHE, LOADGEN_JS, RESULTS, ROOT } from './paths';
import { chatBody } from './settings';
import { startStack } from './stack';

const DIR = join(CACHE, 'profile');
const BRIDGE = join(DIR, 'bridge.js');

/** The bridge bundle as esbuild.mjs makes it, minus minification. */
async function buildReadableBridge(): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['bridge/main.ts'],
    outfile: BRIDGE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    external: ['bufferutil', 'utf-8-validate'],
    define: { esbuildDetection: 'true' },
  });
}

type Workload = 'requests' | 'streams';

export async function runProfile(log: (s: string) => void): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  await buildReadableBridge();
  const moduleOf = moduleIndex(readFileSync(BRIDGE, 'utf8'));
  const gen = LoadGenerator.start(LOADGEN_JS);
  const sections: string[] = [];
  try {
    for (const workload of ['requests', 'streams'] as Workload[]) {
      const stack = await startStack({
        chunkDelayMs: workload === 'requests' ? 0 : 50,
        chunkSize: 16,
        targets: ['compat', 'native'],
        bridgeScript: BRIDGE,
        bridgeNodeArgs: (mode) => [
          '--cpu-prof',
          `--cpu-prof-dir=${join(DIR, `${mode}-${workload}`)}`,
          '--cpu-prof-interval=250',
        ],
      });
      try {
        for (const target of stack.targets) {
          if (target.name === 'direct') continue;
          log(`profiling ${target.name}, ${workload}`);
          if (workload === 'requests') {
            for (const concurrency of [64, 256]) {
              await gen.run({
                kind: 'throughput',
                target,
                concurrency,
                durationMs: 5000,
                warmupMs: 500,
                body: chatBody(false),
              });
            }
          } else {
            for (const concurrency of [100, 1000]) {
              await gen.run({
                kind: 'streams',
                target,
                concurrency,
                control: undefined,
                waves: concurrency === 100 ? 3 : 1,
                staggerMs: 50,
                body: chatBody(true),
                expected: [],
              });
            }
          }
        }
      } finally {
        // SIGTERM: the bridge exits, and node writes the profile on its way out.
        await stack.stop();
      }
      for (const mode of ['compat', 'native']) {
        const dir = join(DIR, `${mode}-${workload}`);
        const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        if (!file) throw new Error(`no profile written in ${dir}`);
        const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
        const summary = summarize(profile, basename(BRIDGE), moduleOf);
        sections.push(renderSummary(`bridge ${mode}, ${workload}`, summary));
      }
    }
  } finally {
    await gen.stop();
  }
  const md = [
    `# Bridge CPU profiles (${new Date().toISOString()})`,
    '',
    'Unminified bundle, `--cpu-prof-interval=250` µs. Requests: closed loop at concurrency 64 ' +
      'then 256, 5 s each, simulator unpaced. Streams: 100 streams x3 waves then 1000 at once, ' +
      'simulator pacing 16 characters every 50 ms. Raw profiles: .cache/bench/profile/ (open ' +
      'them in Chrome DevTools or speedscope).',
    '',
    ...sections,
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'profile.md'), md);
  process.stdout.write(`${md}\n`);
  log('wrote bench/results/profile.md');
}
