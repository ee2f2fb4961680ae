// The distant-upstream section: the simulator answers every request one round trip late (and
// serves each new connection one round trip late, two over TLS: TCP plus the TLS 1.3
// handshake), as CustomGPT.ai does over the internet. Measured, over HTTP and over HTTPS:
//   - time to first text of a new chat, a follow-up, and a compat request, on warm bridges,
//     interleaved round by round with a direct call of the native API (an existing
//     conversation: one round trip, what calling CustomGPT.ai yourself costs);
//   - time to first text of a freshly started bridge's first question (asked `settleMs` after
//     its ready line: a user does not ask within the first second);
//   - the tail: last answer text -> `[DONE]` (native: the Sources list comes in between),
//     cold (a fresh bridge's first answer) and warm.
import { setTimeout as sleep } from 'node:timers/promises';
import { ask, bridgeEndpoint, type Endpoint, endpoint, type Timed } from './distant-client';
import type { DistantTransport, Measurements } from './measurements';
import { BRIDGE_JS } from './paths';
import { readyJson, type Started } from './processes';
import { spawnSimulator, startBridge } from './stack';
import { PROJECT, SIM_KEY } from './targets';
import { makeThrowawayCert, type ThrowawayCert } from './tls-cert';

type Log = (s: string) => void;
type Mode = 'native' | 'compat';

export interface DistantSettings {
  rttMs: number;
  chunkSize: number;
  chunkDelayMs: number;
  rounds: number;
  freshRuns: number;
  settleMs: number;
}

const QUESTION = 'How do I install Acme Rocket?';
const FOLLOW_UP = 'And how do I configure it?';
const newChat = (stream = true) => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: QUESTION }],
  stream,
});

export async function measureDistant(s: DistantSettings, m: Measurements, log: Log): Promise<void> {
  m.distant = { rttMs: s.rttMs, chunkDelayMs: s.chunkDelayMs, transports: {} };
  let cert: ThrowawayCert | undefined;
  try {
    cert = makeThrowawayCert();
  } catch (err) {
    log(`distant: no openssl, HTTPS skipped (${err instanceof Error ? err.message : err})`);
  }
  try {
    for (const tls of cert ? [false, true] : [false]) {
      const name = tls ? 'https' : 'http';
      log(`distant upstream over ${name}: ${s.rttMs} ms round trip`);
      m.distant.transports[name] = await measureTransport(s, tls ? cert : undefined, log);
    }
  } finally {
    cert?.remove();
  }
}

export async function startDistantSimulator(
  s: DistantSettings,
  cert?: ThrowawayCert,
): Promise<Started> {
  return spawnSimulator('distant simulator', [
    '--chunk-size',
    String(s.chunkSize),
    '--chunk-delay',
    String(s.chunkDelayMs),
    '--first-byte-delay',
    String(s.rttMs),
    '--connect-delay',
    String(cert ? 2 * s.rttMs : s.rttMs),
    ...(cert ? ['--tls-cert', cert.certFile, '--tls-key', cert.keyFile] : []),
  ]);
}

async function measureTransport(
  s: DistantSettings,
  cert: ThrowawayCert | undefined,
  log: Log,
): Promise<DistantTransport> {
  const out: DistantTransport = {
    direct: { ttft: [], tail: [] },
    newChat: { native: [], compat: [] },
    followUp: { native: [] },
    fresh: { native: [], compat: [] },
    tailWarm: { native: [] },
    tailCold: { native: [] },
    errors: [],
  };
  const env = cert ? { NODE_EXTRA_CA_CERTS: cert.certFile } : {};
  const sim = await startDistantSimulator(s, cert);
  const simUrl = String(readyJson(sim.readyLine)!.url);
  const auth = { authorization: `Bearer ${SIM_KEY}` };
  const started: Started[] = [sim];
  const pools: Endpoint[] = [];
  try {
    // Direct: the native API on a conversation made beforehand, as a caller who keeps one.
    const create = endpoint(simUrl, `/api/v1/projects/${PROJECT}/conversations`, auth, cert?.cert);
    pools.push(create);
    const made = await create.pool.request({
      method: 'POST',
      path: create.path,
      headers: create.headers,
      body: JSON.stringify({ name: 'bench' }),
    });
    const session = ((await made.body.json()) as { data: { session_id: string } }).data.session_id;
    const direct = endpoint(
      simUrl,
      `/api/v1/projects/${PROJECT}/conversations/${session}/messages?stream=true`,
      auth,
      cert?.cert,
    );
    pools.push(direct);
    const answer = await ask(direct, { prompt: QUESTION });
    const answerLength = answer.content.length;

    // Warm bridges, interleaved with direct calls round by round.
    const bridges: Record<Mode, Started> = {
      native: await startBridge(BRIDGE_JS, simUrl, 'native', [], env),
      compat: await startBridge(BRIDGE_JS, simUrl, 'compat', [], env),
    };
    started.push(bridges.native, bridges.compat);
    const native = bridgeEndpoint(bridges.native);
    const compat = bridgeEndpoint(bridges.compat);
    pools.push(native, compat);
    await sleep(s.settleMs);
    const steps: [string, () => Promise<void>][] = [
      [
        'direct',
        async () => {
          const r = await ask(direct, { prompt: QUESTION });
          out.direct.ttft.push(r.ttftMs);
          out.direct.tail.push(r.tailMs);
        },
      ],
      [
        'native',
        async () => {
          const first = await ask(native, newChat(), answerLength);
          out.newChat.native!.push(first.ttftMs);
          out.tailWarm.native!.push(first.tailMs);
          const next: Timed = await ask(native, {
            ...newChat(),
            messages: [
              { role: 'user', content: QUESTION },
              { role: 'assistant', content: first.content },
              { role: 'user', content: FOLLOW_UP },
            ],
          });
          out.followUp.native!.push(next.ttftMs);
        },
      ],
      [
        'compat',
        async () => {
          out.newChat.compat!.push((await ask(compat, newChat())).ttftMs);
        },
      ],
    ];
    for (let round = 0; round < s.rounds + 1; round++) {
      for (let k = 0; k < steps.length; k++) {
        const [name, step] = steps[(round + k) % steps.length]!;
        try {
          await step();
        } catch (err) {
          out.errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      // The first round warms the caches (citations) and the measuring client's connections.
      if (round === 0) {
        for (const list of [
          out.direct.ttft,
          out.direct.tail,
          out.newChat.native!,
          out.newChat.compat!,
          out.followUp.native!,
          out.tailWarm.native!,
        ])
          list.length = 0;
      }
    }
    await Promise.all([bridges.native.stop(), bridges.compat.stop()]);

    // Fresh bridges: started, left `settleMs`, then asked their first question.
    for (let run = 0; run < s.freshRuns; run++) {
      for (const mode of ['native', 'compat'] as const) {
        const p = await startBridge(BRIDGE_JS, simUrl, mode, [], env);
        started.push(p);
        const e = bridgeEndpoint(p);
        try {
          await sleep(s.settleMs);
          const r = await ask(e, newChat(), answerLength);
          out.fresh[mode]!.push(r.ttftMs);
          if (mode === 'native') out.tailCold.native!.push(r.tailMs);
        } catch (err) {
          out.errors.push(`fresh ${mode}: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          await e.pool.destroy();
          await p.stop();
        }
      }
    }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    log(
      `distant: direct ${med(out.direct.ttft)?.toFixed(1)} ms, new chat native ` +
        `${med(out.newChat.native!)?.toFixed(1)}, compat ${med(out.newChat.compat!)?.toFixed(1)}, ` +
        `follow-up ${med(out.followUp.native!)?.toFixed(1)}, fresh native ` +
        `${med(out.fresh.native!)?.toFixed(1)} compat ${med(out.fresh.compat!)?.toFixed(1)}, tail ` +
        `cold ${med(out.tailCold.native!)?.toFixed(1)} warm ${med(out.tailWarm.native!)?.toFixed(1)}` +
        (out.errors.length ? `; ${out.errors.length} errors, first: ${out.errors[0]}` : ''),
    );
    return out;
  } finally {
    await Promise.all(pools.map((p) => p.pool.destroy().catch(() => undefined)));
    await Promise.all(started.map((p) => p.stop()));
  }
}
