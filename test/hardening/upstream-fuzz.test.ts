// Property-based fuzzing of the upstream: a fake CustomGPT.ai plays arbitrary statuses,
// content types and byte sequences (valid events, junk, raw bytes, split at arbitrary points,
// multi-byte characters cut in two, clean end or reset) and the bridge, pointed at it, must
// still give every client a well-formed answer and stay up. A second property checks that a
// well-formed upstream stream (or JSON reply), however it is split on the wire, arrives intact.
// Guards: bridge/upstream/sse.ts readSseData (spec parser, streaming UTF-8 decoder),
// bridge/upstream/events.ts (every event shape checked), bridge/upstream/errors.ts (statuses),
// bridge/chat/handler.ts (errors before commit as JSON, after as an error event).
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import fc from 'fast-check';
import {
  type AnswerScript,
  type FakeUpstream,
  finishEvent,
  progressEvent,
  START_EVENT,
  startFakeUpstream,
} from './support/fake-upstream';
import { chatBody, postChat } from './support/http';
import { assertHealthy, bridgeFor, type RunningBridge } from './support/stack';
import { classify, type Outcome } from './support/wellformed';

const BATCHES = 3;
const RUNS_PER_BATCH = 40;

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));
const dataLine = (payload: string) => `data: ${payload}\n\n`;
const nativeFragment = fc.oneof(
  text.map(progressEvent),
  fc.constant(START_EVENT),
  fc.array(fc.integer(), { maxLength: 3 }).map(finishEvent),
  text.map((m) => dataLine(JSON.stringify({ status: 'error', message: m }))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => dataLine(JSON.stringify(v))),
);
const compatFragment = fc.oneof(
  text.map((t) => dataLine(JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] }))),
  fc.constant(
    dataLine(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })),
  ),
  text.map((m) => dataLine(JSON.stringify({ error: { message: m } }))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => dataLine(JSON.stringify(v))),
);
const junk = fc.oneof(
  text.map(dataLine),
  fc.constantFrom(
    ': ping\n\n',
    'event: progress\n',
    'retry: 10\n',
    'id: 7\n',
    '\n',
    '\r\n',
    '\r',
    '\uFEFF',
    'data:\n\n',
    'data: null\n\n',
    'data: 5\n\n',
    'data: [DONE]\n\n',
    'data: {"status":"progress","message":5}\n\n',
    'data: {"status":"finish","citations":"x"}\n\n',
    'data: {"status":"progress"\ndata: ,"message":"x"}\n\n',
  ),
  fc.uint8Array({ maxLength: 48 }),
);

interface Plan {
  status: number;
  contentType: string;
  fragments: (string | Uint8Array)[];
  cuts: number[];
  ending: 'end' | 'reset';
  stream: boolean;
}

const plan = (fragment: fc.Arbitrary<string>) =>
  fc.record<Plan>({
    status: fc.constantFrom(200, 200, 200, 200, 200, 400, 401, 403, 404, 422, 429, 500, 502, 503),
    contentType: fc.constantFrom(
      'text/event-stream; charset=UTF-8',
      'text/event-stream',
      'application/json',
      'text/html',
      '',
    ),
    fragments: fc.array(
      fc.oneof({ weight: 3, arbitrary: fragment }, { weight: 1, arbitrary: junk }),
      { maxLength: 12 },
    ),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
    ending: fc.constantFrom('end', 'end', 'reset'),
    stream: fc.boolean(),
  });

/** The bytes of `parts` cut at `cuts` (mod length): multi-byte characters may be split. */
function pieces(parts: (string | Uint8Array)[], cuts: number[]): Buffer[] {
  const all = Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))),
  );
  if (all.length === 0) return [];
  const at = [...new Set(cuts.map((c) => c % all.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...at, all.length]) {
    if (c > from) out.push(all.subarray(from, c));
    from = c;
  }
  return out;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

function play(p: Plan): AnswerScript {
  return async (_req, res: ServerResponse) => {
    res.writeHead(p.status, p.contentType ? { 'content-type': p.contentType } : {});
    res.flushHeaders();
    for (const piece of pieces(p.fragments, p.cuts)) {
      if (res.destroyed) return;
      res.write(piece);
      await tick();
    }
    if (p.ending === 'reset') res.socket?.resetAndDestroy();
    else res.end();
  };
}

/** What a client must see for an upstream status the bridge maps before any byte is relayed. */
const MAPPED: Record<number, number> = {
  400: 400,
  401: 401,
  403: 403,
  404: 404,
  422: 400,
  429: 429,
};

function checkAgainstStatus(p: Plan, outcome: Outcome): void {
  // Whatever the upstream does is the upstream's fault: never reported as a bridge bug.
  if (outcome.kind === 'error' || outcome.kind === 'stream-error') {
    assert.notEqual(
      outcome.code,
      'internal_error',
      `upstream misbehaviour as a bridge bug: ${outcome.message}`,
    );
  }
  if (outcome.kind === 'error')
    assert.notEqual(outcome.status, 500, 'never a 500 for an upstream fault');
  if (p.status === 200) return;
  assert.equal(
    outcome.kind,
    'error',
    `upstream ${p.status} must be an error: ${JSON.stringify(outcome)}`,
  );
  if (outcome.kind === 'error') assert.equal(outcome.status, MAPPED[p.status] ?? 502);
}

describe('hardening: upstream fuzzing (fast-check, fake upstream)', function () {
  this.timeout(120_000);
  let fake: FakeUpstream;
  let native: RunningBridge;
  let compat: RunningBridge;
  before(async () => {
    fake = await startFakeUpstream(() => undefined);
    const opts = { streamIdleTimeoutMs: 2000, upstreamTimeoutMs: 2000 };
    native = await bridgeFor(fake.url, 'sk-fake-upstream-key-000', opts);
    compat = await bridgeFor(fake.url, 'sk-fake-upstream-key-000', {
      ...opts,
      upstreamMode: 'compat',
    });
  });
  after(async () => {
    if (process.env.HARDENING_VERBOSE) console.log(JSON.stringify([...seen].sort()));
    await native.close(1000);
    await compat.close(1000);
    await fake.close();
  });

  const seen = new Map<string, number>();

  async function run(bridge: RunningBridge, p: Plan): Promise<Outcome> {
    fake.script = play(p);
    const res = await postChat(bridge.port, bridge.token, chatBody(p.stream));
    const outcome = classify(res.status, res.headers['content-type'], res.text);
    checkAgainstStatus(p, outcome);
    const key =
      outcome.kind === 'error' || outcome.kind === 'stream-error'
        ? `${outcome.kind} ${outcome.code}`
        : outcome.kind;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    return outcome;
  }

  for (const [mode, fragment] of [
    ['native', nativeFragment],
    ['compat', compatFragment],
  ] as const) {
    it(`${mode}: arbitrary upstream answers end in a well-formed answer`, async () => {
      const bridge = mode === 'native' ? native : compat;
      for (let batch = 0; batch < BATCHES; batch++) {
        await fc.assert(
          fc.asyncProperty(plan(fragment), async (p) => {
            await run(bridge, p);
          }),
          { numRuns: RUNS_PER_BATCH },
        );
        await assertHealthy(bridge.port);
      }
    });
  }

  it('native: a valid stream split anywhere on the wire arrives intact', async () => {
    const valid = fc.record({
      texts: fc.array(text, { minLength: 1, maxLength: 8 }),
      cuts: fc.array(fc.nat(), { maxLength: 12 }),
      stream: fc.boolean(),
      crlf: fc.boolean(),
    });
    for (let batch = 0; batch < BATCHES; batch++) {
      await fc.assert(
        fc.asyncProperty(valid, async ({ texts, cuts, stream, crlf }) => {
          const nl = (s: string) => (crlf ? s.replace(/\n/g, '\r\n') : s);
          // A streaming client gets the upstream's SSE; a non-streaming one its single JSON
          // reply (the bridge asks with stream=false), split on the wire just the same.
          const fragments = stream
            ? [START_EVENT, ...texts.map(progressEvent), finishEvent()].map(nl)
            : [
                JSON.stringify({
                  status: 'success',
                  data: { openai_response: texts.join(''), citations: [] },
                }),
              ];
          const outcome = await run(native, {
            status: 200,
            contentType: stream ? 'text/event-stream; charset=UTF-8' : 'application/json',
            fragments,
            cuts,
            ending: 'end',
            stream,
          });
          assert.equal(
            outcome.kind,
            stream ? 'stream-done' : 'completion',
            JSON.stringify(outcome),
          );
          if (outcome.kind === 'stream-done' || outcome.kind === 'completion') {
            assert.equal(outcome.content, texts.join(''));
          }
        }),
        { numRuns: RUNS_PER_BATCH },
      );
      await assertHealthy(native.port);
    }
  });
});
