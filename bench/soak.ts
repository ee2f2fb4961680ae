// Soak: thousands of requests (streams, plain answers, follow-ups, cancels, upstream faults)
// through the bridge CLI in its own process, in front of the in-process CustomGPT.ai
// simulator. Measures the bridge at baseline, during and after a settle period: RSS and open
// file descriptors from /proc, live heap after a forced GC over the inspector protocol (the
// soak's bridge alone runs with --inspect on 127.0.0.1, for the soak's duration), cache
// sizes and open streams from GET /bridge/info. Prints a JSON report; exits 1 on any
// ill-formed answer, any failed normal request, or a bound in soak-bounds.ts broken.
//   npm run soak      20,000 requests      npm run soak:ci   3,000 requests
//   flags: --requests N  --concurrency N  --seed N  --settle-ms N
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { RUNTIME_FLAGS } from '../bridge/runtime-flags';
import { startSimulator } from '../bridge/simulator/index';
import { boundFailures, summarize } from './soak-bounds';
import { attachInspector, inspectorUrl } from './soak-inspector';
import { type Sample, sample, spawnBridge } from './soak-process';
import { type Kind, MIX, pickKind, prng, runOne, type Verdict } from './soak-traffic';

const SIM_KEY = 'sk-soak-upstream-key-5e2c';

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '64' },
      seed: { type: 'string', default: '42' },
      'settle-ms': { type: 'string', default: '8000' },
    },
  });
  return {
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    seed: Number(values.seed),
    settleMs: Number(values['settle-ms']),
  };
}

async function main(): Promise<number> {
  const opts = options();
  const sim = await startSimulator({ apiKey: SIM_KEY, chunkSize: 16, chunkDelayMs: 1 });
  const bridge = spawnBridge(
    ['--port', '0', '--project', '1001', '--upstream', sim.url, '--log', 'warn'],
    { CUSTOMGPT_API_KEY: SIM_KEY },
    // The bridge's own V8 flags given here: with --inspect it does not re-execute itself.
    ['--inspect=127.0.0.1:0', ...RUNTIME_FLAGS],
  );
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  try {
    const ready = await bridge.ready;
    const url = inspectorUrl(bridge.stderrHead());
    if (!url) throw new Error(`no inspector URL on the bridge's stderr: ${bridge.stderrHead()}`);
    const inspector = await attachInspector(url);
    const origin = ready.url.replace(/\/v1$/, '');
    const target = { port: ready.port, token: ready.token, agent };
    const random = prng(opts.seed);
    const t0 = Date.now();
    const snap = () => sample(bridge.pid, origin, ready.token, t0);
    const settled = async () => ({ ...(await snap()), liveHeapMiB: await inspector.liveHeapMiB() });

    // Warm-up (first requests load code and fill the model cache), then the idle baseline.
    for (let i = 0; i < 20; i++) await runOne(target, sim, i % 2 ? 'stream' : 'json', i, random);
    await sleep(1000);
    const baseline = await settled();

    const counts: Record<Kind, number> = {
      stream: 0,
      json: 0,
      'follow-up': 0,
      cancel: 0,
      fault: 0,
    };
    const verdicts: Record<Verdict, number> = {
      ok: 0,
      cancelled: 0,
      'fault-handled': 0,
      unexpected: 0,
    };
    const problems: string[] = [];
    const during: (Sample & { done: number })[] = [];
    let done = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const at = done;
        during.push({ ...(await snap()), done: at });
        await sleep(500);
      }
    })();

    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < opts.requests) {
          const n = next++;
          const kind = pickKind(random);
          counts[kind]++;
          try {
            verdicts[await runOne(target, sim, kind, n, random)]++;
          } catch (err) {
            verdicts.unexpected++;
            if (problems.length < 20)
              problems.push(`#${n} ${kind}: ${(err as Error).message.slice(0, 300)}`);
          }
          done++;
          if (done % 2000 === 0) process.stderr.write(`soak: ${done}/${opts.requests}\n`);
        }
      }),
    );
    const durationMs = Date.now() - started;
    sampling = false;
    await sampler;
    agent.destroy();

    // Settle: idle keep-alive connections close (the bridge's after 5 s, the upstream pool's
    // per the simulator's keep-alive hint), then a forced GC and the after-sample.
    await sleep(opts.settleMs);
    const after = await settled();
    inspector.close();
    const summary = summarize({ baseline, after, during, requests: opts.requests });

    bridge.child.kill('SIGTERM');
    const exitCode = await bridge.exited;
    const errorLogs = bridge.stderrLines().filter((l) => l.includes('"level":"error"'));
    const failures = [...problems, ...boundFailures(summary)];
    if (verdicts.unexpected > 0) failures.push(`${verdicts.unexpected} unexpected outcomes`);
    if (sim.openStreams() !== 0) failures.push(`${sim.openStreams()} upstream streams left open`);
    if (errorLogs.length > 0)
      failures.push(`${errorLogs.length} error log lines, e.g. ${errorLogs[0]}`);
    if (exitCode !== 0) failures.push(`bridge exited ${exitCode} on SIGTERM`);

    const report = {
      requests: opts.requests,
      concurrency: opts.concurrency,
      seed: opts.seed,
      mixPercent: MIX,
      counts,
      verdicts,
      durationMs,
      requestsPerSecond: Math.round((opts.requests / durationMs) * 1000),
      ...summary,
      samples: during.length,
      exitCode,
      failures,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    agent.destroy();
    if (bridge.child.exitCode === null) bridge.child.kill('SIGKILL');
    await sim.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
