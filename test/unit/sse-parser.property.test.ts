// Property: readSseData yields exactly the data of each event, whatever the line ends (LF or
// CRLF), event names, comments and multi-line data, and wherever the network splits the bytes
// (inside a line ending, inside a multi-byte UTF-8 character such as 'é' or '🚀').
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readSseData } from '../../shared/sse.js';

interface EventSpec {
  /** The data the parser must yield; may contain '\n' (sent as several data: lines). */
  data: string;
  name: string | null;
  comment: string | null;
}

const SPICY = ['é', '🚀', '€', '日本', '"', '\\', ' ', ':', 'data:', '\t', 'ü', '∑'];

/** Text with plenty of multi-byte characters, but no line breaks (those are JSON-escaped). */
const text = fc
  .array(fc.oneof(fc.constantFrom(...SPICY), fc.string({ maxLength: 6, unit: 'grapheme' })), {
    maxLength: 8,
  })
  .map((parts) => parts.join('').replace(/[\r\n]/g, ' '));

const jsonValue = fc.oneof(
  fc.record({ status: fc.constant('progress'), message: text }),
  fc.record({ status: fc.constant('start'), prompt: text }),
  fc.record({
    status: fc.constant('finish'),
    id: fc.nat(),
    citations: fc.array(fc.nat(), { maxLength: 3 }),
  }),
  fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), {
    maxKeys: 3,
  }),
);

/** Compact JSON (one line) or pretty JSON (several lines, indented: leading spaces matter). */
const eventData = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  jsonValue.map((v) => JSON.stringify(v, null, 2)),
  fc.constant('[DONE]'),
);

const eventSpec: fc.Arbitrary<EventSpec> = fc.record({
  data: eventData,
  name: fc.option(fc.constantFrom('progress', 'start', 'finish', 'message', 'error'), {
    nil: null,
  }),
  comment: fc.option(fc.oneof(fc.constant('ping'), text), { nil: null }),
});

function encode(events: EventSpec[], eol: string): string {
  let out = '';
  for (const e of events) {
    if (e.comment !== null) out += `:${e.comment}${eol}`;
    if (e.name !== null) out += `event: ${e.name}${eol}`;
    for (const line of e.data.split('\n')) out += `data: ${line}${eol}`;
    out += eol;
  }
  return out;
}

/** Splits `bytes` at the given offsets (any byte position, so also inside a character). */
function splitBytes(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, p)); // empty chunks included on purpose
    from = p;
  }
  return chunks;
}

/** Splits `s` at code point boundaries (strings cannot hold half a character). */
function splitString(s: string, cuts: number[]): string[] {
  const chars = Array.from(s);
  const points = [...new Set(cuts.map((c) => c % (chars.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of [...points, chars.length]) {
    chunks.push(chars.slice(from, p).join(''));
    from = p;
  }
  return chunks;
}

async function* source<T>(chunks: T[]): AsyncGenerator<T> {
  for (const c of chunks) yield c;
}

async function collect(body: AsyncIterable<Uint8Array | string>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of readSseData(body)) out.push(d);
  return out;
}

const cuts = fc.array(fc.nat(), { maxLength: 40 });
const events = fc.array(eventSpec, { minLength: 0, maxLength: 12 });
const eol = fc.constantFrom('\n', '\r\n');

describe('readSseData (property)', () => {
  it('yields the original data for byte chunks split anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(events, eol, cuts, async (evs, lineEnd, at) => {
        const bytes = new TextEncoder().encode(encode(evs, lineEnd));
        const got = await collect(source(splitBytes(bytes, at)));
        assert.deepEqual(
          got,
          evs.map((e) => e.data),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('yields the original data for string chunks', async () => {
    await fc.assert(
      fc.asyncProperty(events, eol, cuts, async (evs, lineEnd, at) => {
        const got = await collect(source(splitString(encode(evs, lineEnd), at)));
        assert.deepEqual(
          got,
          evs.map((e) => e.data),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('byte-at-a-time delivery of multi-byte characters and CRLF', async () => {
    const evs: EventSpec[] = [
      { data: '{"message":"é🚀€"}', name: 'progress', comment: 'ping' },
      { data: '{\n  "a": "🚀"\n}', name: null, comment: null },
    ];
    const bytes = new TextEncoder().encode(encode(evs, '\r\n'));
    const oneByOne = Array.from(bytes, (b) => Uint8Array.of(b));
    assert.deepEqual(
      await collect(source(oneByOne)),
      evs.map((e) => e.data),
    );
  });

  it('a CRLF split between two chunks does not create an extra empty event', async () => {
    const wire = 'data: {"x":1}\r\n\r\ndata: {"y":2}\r\n\r\n';
    const i = wire.indexOf('\r\n') + 1; // between \r and \n
    const got = await collect(source([wire.slice(0, i), wire.slice(i)]));
    assert.deepEqual(got, ['{"x":1}', '{"y":2}']);
  });
});
