// The soak's request mix: what each simulated client does and how its outcome is judged.
// Normal requests (project 1001) must succeed; faulted requests go to project 1003, whose
// upstream calls the injected faults match, and must end in a well-formed answer or error.
import { type Agent, request } from 'node:http';
import type { Fault, Simulator } from '../bridge/simulator/index';
import { classify } from '../test/hardening/support/wellformed';

export type Kind = 'stream' | 'json' | 'follow-up' | 'cancel' | 'fault';

/** Weights of the mix, in percent. */
export const MIX: Record<Kind, number> = {
  stream: 45,
  json: 20,
  'follow-up': 5,
  cancel: 10,
  fault: 20,
};

export const FAULTED_PROJECT = '1003';

export const FAULTS: Fault[] = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 429, retryAfter: '2' },
  { kind: 'status', status: 503, body: '<html>down</html>', contentType: 'text/html' },
  { kind: 'html-502' },
  { kind: 'reset-before-headers' },
  { kind: 'drop-mid-stream', afterEvents: 3 },
  { kind: 'error-event', afterEvents: 3 },
  { kind: 'malformed-event', afterEvents: 3 },
  { kind: 'slow-first-byte', ms: 30 },
];

export type Verdict = 'ok' | 'cancelled' | 'fault-handled' | 'unexpected';

export interface Target {
  port: number;
  token: string;
  agent: Agent;
}

/** A small deterministic PRNG (mulberry32), so a soak's mix can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickKind(random: () => number): Kind {
  let r = random() * 100;
  for (const [kind, weight] of Object.entries(MIX) as [Kind, number][]) {
    r -= weight;
    if (r < 0) return kind;
  }
  return 'stream';
}

const TOPICS = ['install', 'routing', 'middleware', 'configuration', 'deploy', 'testing'];

interface Reply {
  status: number;
  contentType: string | undefined;
  text: string;
}

function post(
  t: Target,
  path: string,
  body: unknown,
  cancelOnContent = false,
): Promise<Reply | 'cancelled'> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: t.port,
        method: 'POST',
        path,
        agent: t.agent,
        timeout: 60_000,
        headers: {
          host: `127.0.0.1:${t.port}`,
          authorization: `Bearer ${t.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (cancelOnContent && c.includes('"content":"F')) {
            req.destroy();
            resolve('cancelled');
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (err) => (cancelOnContent ? resolve('cancelled') : reject(err)));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 60 s')));
    req.on('error', (err) =>
      req.destroyed && cancelOnContent ? resolve('cancelled') : reject(err),
    );
    req.end(text);
  });
}

function judge(reply: Reply, mustSucceed: boolean): Verdict {
  const outcome = classify(reply.status, reply.contentType, reply.text); // throws if ill-formed
  const succeeded = outcome.kind === 'completion' || outcome.kind === 'stream-done';
  if (succeeded) return 'ok';
  if (mustSucceed) throw new Error(`failed: ${JSON.stringify(outcome).slice(0, 300)}`);
  if (
    (outcome.kind === 'error' || outcome.kind === 'stream-error') &&
    outcome.code === 'internal_error'
  ) {
    throw new Error(`an upstream fault reported as a bridge bug: ${outcome.message}`);
  }
  return 'fault-handled';
}

/** Runs request number `n` of kind `kind`; throws on anything that is not acceptable. */
export async function runOne(
  t: Target,
  sim: Simulator,
  kind: Kind,
  n: number,
  random: () => number,
): Promise<Verdict> {
  const topic = TOPICS[n % TOPICS.length];
  const question = `How does ${topic} work in Acme Rocket? (#${n})`;
  const user = { role: 'user', content: question };
  switch (kind) {
    case 'stream':
    case 'json': {
      const reply = await post(t, '/v1/chat/completions', {
        model: 'x',
        stream: kind === 'stream',
        messages: [user],
      });
      return judge(reply as Reply, true);
    }
    case 'follow-up': {
      // Two turns of one conversation: the second continues the remembered upstream session.
      const first = (await post(t, '/v1/chat/completions', {
        model: 'x',
        messages: [user],
      })) as Reply;
      judge(first, true);
      const answer = (JSON.parse(first.text) as { choices: { message: { content: string } }[] })
        .choices[0]!.message.content;
      const second = await post(t, '/v1/chat/completions', {
        model: 'x',
        stream: true,
        messages: [
          user,
          { role: 'assistant', content: answer },
          { role: 'user', content: `And ${topic} in production?` },
        ],
      });
      return judge(second as Reply, true);
    }
    case 'cancel': {
      const reply = await post(
        t,
        '/v1/chat/completions',
        { model: 'x', stream: true, messages: [user] },
        true,
      );
      return reply === 'cancelled' ? 'cancelled' : judge(reply, true);
    }
    case 'fault': {
      const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
      sim.injectFault({ ...fault, match: `/projects/${FAULTED_PROJECT}/conversations` });
      const reply = await post(t, `/api/v1/projects/${FAULTED_PROJECT}/chat/completions`, {
        model: 'x',
        stream: random() < 0.6,
        messages: [user],
      });
      return judge(reply as Reply, false);
    }
  }
}
