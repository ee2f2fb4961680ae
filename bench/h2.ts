// HTTP/1.1 vs HTTP/2 from the bridge to a distant HTTPS upstream, side by side in one run (the
// issue's "consider HTTP/2 to the upstream if it helps"). One simulator serves both by ALPN
// (--http2: h2 to a client that offers it, HTTP/1.1 to one that does not), answering every
// request one round trip late and serving each new connection two round trips late (TCP plus
// the TLS 1.3 handshake), as phase 4 of the bench does; the bridges differ only in
// --no-upstream-http2. Figures, medians in ms, h1 and h2 interleaved so drift hits both alike:
//   - new chat (native, compat) and follow-up on warm bridges, and the warm citation tail;
//   - a fresh bridge's first question (asked 1 s after its ready line) and its cold tail;
//   - a burst: N new chats at once on a fresh bridge (1 s after ready, so native's spare
//     conversation is made): each chat's time to first text, and until all N had text;
//   - loopback (no delays, still HTTPS), compat: requests per second and the bridge's CPU
//     time per request at a given concurrency.
// The simulator's request log (httpVersion) shows which protocol each bridge spoke.
//   npm run build && node --import tsx bench/h2.ts [--repeats 2] [--rounds 10] [--fresh 4]
//     [--burst 8] [--rtt 40] [--loopback-requests 1500] [--loopback-concurrency 16]
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { ask, bridgeEndpoint, type Endpoint, endpoint } from './distant-client';
import { BRIDGE_JS } from './paths';
import { readyJson, type Started } from './processes';
import { cpuMs } from './procfs';
import { spawnSimulator, startBridge } from './stack';
import { median } from './stats';
import { PROJECT, SIM_KEY } from './targets';
import { makeThrowawayCert, type ThrowawayCert } from './tls-cert';

type Proto = 'h1' | 'h2';
type Mode = 'native' | 'compat';
const PROTOS: readonly Proto[] = ['h1', 'h2'];
const PROTO_ARGS: Record<Proto, string[]> = { h1: ['--no-upstream-http2'], h2: [] };

const { values: argv } = parseArgs({
  options: {
    repeats: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '10' },
    fresh: { type: 'string', default: '4' },
    burst: { type: 'string', default: '8' },
    rtt: { type: 'string', default: '40' },
    'loopback-requests': { type: 'string', default: '1500' },
    'loopback-concurrency': { type: 'string', default: '16' },
  },
});
const S = {
  repeats: Number(argv.repeats),
  rounds: Number(argv.rounds),
  fresh: Number(argv.fresh),
  burst: Number(argv.burst),
  rttMs: Number(argv.rtt),
  loopbackRequests: Number(argv['loopback-requests']),
  loopbackConcurrency: Number(argv['loopback-concurrency']),
  chunkSize: 16,
  chunkDelayMs: 5,
  settleMs: 1000,
};

const QUESTION = 'How do I install Acme Rocket?';
const FOLLOW_UP = 'And how do I configure it?';
const newChat = () => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: QUESTION }],
  stream: true,
});

/** One figure's samples per protocol, per repeat. */
type Samples = Record<string, Record<Proto, number[][]>>;
const samples: Samples = {};
let repeat = 0;
function add(figure: string, proto: Proto, v: number): void {
  samples[figure] ??= { h1: [], h2: [] };
  const list = samples[figure][proto];
  list[repeat] ??= [];
  list[repeat]!.push(v);
}
const errors: string[] = [];
const versions: Record<string, Record<string, number>> = {};

const log = (s: string) => process.stderr.write(`${s}\n`);

async function startSim(cert: ThrowawayCert, distant: boolean): Promise<Started> {
  return spawnSimulator('h2 simulator', [
    '--chunk-size',
    String(S.chunkSize),
    '--chunk-delay',
    distant ? String(S.chunkDelayMs) : '0',
    ...(distant
      ? ['--first-byte-delay', String(S.rttMs), '--connect-delay', String(2 * S.rttMs)]
      : []),
    '--tls-cert',
    cert.certFile,
    '--tls-key',
    cert.keyFile,
    '--http2',
  ]);
}

/** The simulator's control API, over its own TLS pool. */
class SimControl {
  private readonly pool: Pool;
  constructor(url: string, cert: ThrowawayCert) {
    this.pool = new Pool(url, { connect: { ca: cert.cert }, allowH2: false });
  }
  async reset(): Promise<void> {
    const r = await this.pool.request({ method: 'POST', path: '/__sim/reset' });
    await r.body.text();
  }
  /** Requests since the last reset, counted by HTTP version (the control calls left out). */
  async versions(): Promise<Record<string, number>> {
    const r = await this.pool.request({ method: 'GET', path: '/__sim/requests' });
    const list = (await r.body.json()) as { path: string; httpVersion?: string }[];
    const out: Record<string, number> = {};
    for (const q of list) {
      if (q.path.startsWith('/__sim/')) continue;
      const v = q.httpVersion ?? '?';
      out[v] = (out[v] ?? 0) + 1;
    }
    return out;
  }
  close(): Promise<void> {
    return this.pool.destroy();
  }
}

function noteVersions(what: string, v: Record<string, number>): void {
  versions[what] ??= {};
  const row = versions[what];
  for (const [k, n] of Object.entries(v)) row[k] = (row[k] ?? 0) + n;
}

async function guarded(what: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (err) {
    errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const order = <T>(list: readonly T[], k: number): T[] =>
  list.map((_, i) => list[(i + k) % list.length]!);

async function warmBridges(simUrl: string, env: NodeJS.ProcessEnv, ctl: SimControl) {
  const bridges: Started[] = [];
  try {
    const eps = {} as Record<Proto, Record<Mode, Endpoint>>;
    for (const proto of PROTOS) {
      eps[proto] = {} as Record<Mode, Endpoint>;
      for (const mode of ['native', 'compat'] as const) {
        const p = await startBridge(BRIDGE_JS, simUrl, mode, [], env, PROTO_ARGS[proto]);
        bridges.push(p);
        eps[proto][mode] = bridgeEndpoint(p);
      }
    }
    await sleep(S.settleMs);
    for (let round = 0; round <= S.rounds; round++) {
      for (const proto of order(PROTOS, round)) {
        if (round === 0) await ctl.reset();
        await guarded(`warm ${proto} native`, async () => {
          const first = await ask(eps[proto].native, newChat(), ansLen);
          const next = await ask(eps[proto].native, {
            ...newChat(),
            messages: [
              { role: 'user', content: QUESTION },
              { role: 'assistant', content: first.content },
              { role: 'user', content: FOLLOW_UP },
            ],
          });
          if (round === 0) return;
          add('new chat, native', proto, first.ttftMs);
          add('follow-up, native', proto, next.ttftMs);
          add('tail warm, native', proto, first.tailMs);
        });
        await guarded(`warm ${proto} compat`, async () => {
          const r = await ask(eps[proto].compat, newChat());
          if (round > 0) add('new chat, compat', proto, r.ttftMs);
        });
        if (round === 0) noteVersions(`warm ${proto}`, await ctl.versions());
      }
    }
    for (const m of Object.values(eps))
      for (const e of Object.values(m)) await e.pool.destroy().catch(() => undefined);
  } finally {
    await Promise.all(bridges.map((b) => b.stop()));
  }
}

/** Where the answer's text ends in a bridge's content (the Sources list follows). */
let ansLen = 0;

/** The answer's length without the Sources list: a direct question to a session. */
async function answerLength(simUrl: string, cert: ThrowawayCert): Promise<number> {
  const auth = { authorization: `Bearer ${SIM_KEY}` };
  const create = endpoint(simUrl, `/api/v1/projects/${PROJECT}/conversations`, auth, cert.cert);
  try {
    const made = await create.pool.request({
      method: 'POST',
      path: create.path,
      headers: create.headers,
      body: JSON.stringify({ name: 'h2 bench' }),
    });
    const session = ((await made.body.json()) as { data: { session_id: string } }).data.session_id;
    const direct = { ...create, path: `${create.path}/${session}/messages?stream=true` };
    return (await ask(direct, { prompt: QUESTION })).content.length;
  } finally {
    await create.pool.destroy();
  }
}

async function freshQuestions(simUrl: string, env: NodeJS.ProcessEnv, ctl: SimControl) {
  for (let run = 0; run < S.fresh; run++) {
    for (const mode of ['native', 'compat'] as const) {
      for (const proto of order(PROTOS, run)) {
        await ctl.reset();
        const p = await startBridge(BRIDGE_JS, simUrl, mode, [], env, PROTO_ARGS[proto]);
        const e = bridgeEndpoint(p);
        await guarded(`fresh ${proto} ${mode}`, async () => {
          await sleep(S.settleMs);
          const r = await ask(e, newChat(), ansLen);
          add(`fresh first question, ${mode}`, proto, r.ttftMs);
          if (mode === 'native') add('tail cold, native', proto, r.tailMs);
        });
        await e.pool.destroy();
        await p.stop();
        noteVersions(`fresh ${proto}`, await ctl.versions());
      }
    }
  }
}

async function bursts(simUrl: string, env: NodeJS.ProcessEnv, ctl: SimControl) {
  for (let run = 0; run < S.fresh; run++) {
    for (const mode of ['native', 'compat'] as const) {
      for (const proto of order(PROTOS, run)) {
        await ctl.reset();
        const p = await startBridge(BRIDGE_JS, simUrl, mode, [], env, PROTO_ARGS[proto]);
        const e = bridgeEndpoint(p, S.burst);
        await guarded(`burst ${proto} ${mode}`, async () => {
          await sleep(S.settleMs);
          const t0 = performance.now();
          const all = await Promise.all(
            Array.from({ length: S.burst }, () =>
              ask(e, newChat(), ansLen).then((r) => ({ r, at: performance.now() })),
            ),
          );
          for (const { r } of all) add(`burst of ${S.burst}, ${mode}: each`, proto, r.ttftMs);
          add(
            `burst of ${S.burst}, ${mode}: slowest`,
            proto,
            Math.max(...all.map(({ r }) => r.ttftMs)),
          );
          add(
            `burst of ${S.burst}, ${mode}: all done`,
            proto,
            Math.max(...all.map(({ at }) => at)) - t0,
          );
        });
        await e.pool.destroy();
        await p.stop();
        noteVersions(`burst ${proto}`, await ctl.versions());
      }
    }
  }
}

/** Loopback, no delays, compat: requests/s and bridge CPU per request at a concurrency. */
async function loopback(cert: ThrowawayCert, env: NodeJS.ProcessEnv) {
  const sim = await startSim(cert, false);
  const simUrl = String(readyJson(sim.readyLine)!.url);
  const bridges: Partial<Record<Proto, Started>> = {};
  try {
    for (const proto of PROTOS)
      bridges[proto] = await startBridge(BRIDGE_JS, simUrl, 'compat', [], env, PROTO_ARGS[proto]);
    const eps = {} as Record<Proto, Endpoint>;
    for (const proto of PROTOS) eps[proto] = bridgeEndpoint(bridges[proto]!, S.loopbackConcurrency);
    const drive = async (e: Endpoint, n: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: S.loopbackConcurrency }, async () => {
          while (next++ < n) await ask(e, newChat());
        }),
      );
    };
    // Warm-up: connections, JIT.
    for (const proto of PROTOS) await drive(eps[proto], Math.ceil(S.loopbackRequests / 5));
    for (let slice = 0; slice < 2; slice++) {
      for (const proto of order(PROTOS, slice)) {
        await guarded(`loopback ${proto}`, async () => {
          const pid = bridges[proto]!.pid;
          const cpu0 = cpuMs(pid);
          const simCpu0 = cpuMs(sim.pid);
          const t0 = performance.now();
          await drive(eps[proto], S.loopbackRequests);
          const wall = performance.now() - t0;
          add('loopback compat: requests/s', proto, (S.loopbackRequests * 1000) / wall);
          add(
            'loopback compat: bridge CPU ms/request',
            proto,
            (cpuMs(pid) - cpu0) / S.loopbackRequests,
          );
          add(
            'loopback compat: simulator CPU ms/request',
            proto,
            (cpuMs(sim.pid) - simCpu0) / S.loopbackRequests,
          );
        });
      }
    }
    for (const e of Object.values(eps)) await e.pool.destroy();
  } finally {
    await Promise.all(Object.values(bridges).map((b) => b.stop()));
    await sim.stop();
  }
}

function report(): void {
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));
  const med = (a: number[] | undefined) => (a?.length ? median(a) : undefined);
  const lines = [
    `HTTP/1.1 vs HTTP/2 to the upstream, ${S.rttMs} ms RTT over TLS (connect ${2 * S.rttMs} ms); ` +
      `medians in ms (loopback rows: as named); per repeat, then all repeats pooled`,
    '',
    '| figure | h1 | h2 | h2 − h1 | per repeat h1 / h2 |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const [figure, by] of Object.entries(samples)) {
    const h1 = med(by.h1.flat());
    const h2 = med(by.h2.flat());
    const per = by.h1.map((_, i) => `${fmt(med(by.h1[i]))} / ${fmt(med(by.h2[i]))}`).join('; ');
    const n = by.h1.flat().length;
    lines.push(
      `| ${figure} (n=${n}) | ${fmt(h1)} | ${fmt(h2)} | ${h1 !== undefined && h2 !== undefined ? fmt(h2 - h1) : '—'} | ${per} |`,
    );
  }
  lines.push('', `upstream requests by HTTP version: ${JSON.stringify(versions)}`);
  lines.push(`errors: ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const cert = makeThrowawayCert();
  const env = { NODE_EXTRA_CA_CERTS: cert.certFile };
  try {
    const sim = await startSim(cert, true);
    const simUrl = String(readyJson(sim.readyLine)!.url);
    const ctl = new SimControl(simUrl, cert);
    try {
      ansLen = await answerLength(simUrl, cert);
      for (repeat = 0; repeat < S.repeats; repeat++) {
        log(`repeat ${repeat + 1}/${S.repeats}: warm bridges`);
        await warmBridges(simUrl, env, ctl);
        log(`repeat ${repeat + 1}/${S.repeats}: fresh bridges`);
        await freshQuestions(simUrl, env, ctl);
        log(`repeat ${repeat + 1}/${S.repeats}: bursts of ${S.burst}`);
        await bursts(simUrl, env, ctl);
      }
    } finally {
      await ctl.close();
      await sim.stop();
    }
    if (S.loopbackRequests > 0) {
      for (repeat = 0; repeat < S.repeats; repeat++) {
        log(`repeat ${repeat + 1}/${S.repeats}: loopback compat`);
        await loopback(cert, env);
      }
    }
  } finally {
    cert.remove();
  }
  report();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
