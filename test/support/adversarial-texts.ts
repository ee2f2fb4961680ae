// Request bodies whose text is costly for a naive token counter or transcript code: long runs
// with no space to split at (BPE merging is superlinear in the length of one pre-token), many
// astral code points, one huge "word", and a very long history. Shared by the bridge test that
// proves no request stalls the event loop (test/bridge/event-loop.test.ts) and the benchmark
// phase that reports the worst stall (bench/phase-event-loop.ts).

export interface AdversarialInput {
  /** Short name used in test titles and the benchmark's JSON. */
  name: string;
  /** What the text is, for reports. */
  what: string;
  /** OpenAI chat messages; the last one is the user's. */
  messages: { role: 'user' | 'assistant'; content: string }[];
}

/** A deterministic pseudo-random sequence (LCG): no repeats a tokenizer could shortcut. */
function* lcg(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    yield x;
  }
}

/** `length` code points drawn from [first, first + span). */
function run(length: number, first: number, span: number, seed: number): string {
  const rand = lcg(seed);
  const points: number[] = new Array(length);
  for (let i = 0; i < length; i++) points[i] = first + ((rand.next().value as number) % span);
  let out = '';
  // String.fromCodePoint with a huge spread blows the stack: join in blocks.
  for (let i = 0; i < length; i += 4096) out += String.fromCodePoint(...points.slice(i, i + 4096));
  return out;
}

const one = (name: string, what: string, content: string): AdversarialInput => ({
  name,
  what,
  messages: [{ role: 'user', content }],
});

/** The five inputs of issue 8, item 1. Built on demand (the 1 MB word takes a moment). */
export function adversarialInputs(): AdversarialInput[] {
  const turns: AdversarialInput['messages'] = [];
  for (let i = 0; i < 9_999; i++) {
    turns.push({ role: i % 2 === 0 ? 'user' : 'assistant', content: `turn ${i}: ok` });
  }
  turns.push({ role: 'user', content: 'and now?' });
  return [
    // CJK Unified Ideographs U+4E00..U+9FA5: one \p{L}+ pre-token of 60,000 letters.
    one('cjk-60k', '60,000 CJK characters, no punctuation', run(60_000, 0x4e00, 0x51a6, 1)),
    // Emoticons and pictographs U+1F300..U+1F64F: astral (surrogate pairs), one symbol run.
    one('emoji-20k', '20,000 emoji', run(20_000, 0x1f300, 0x350, 2)),
    // Cyrillic а..я U+0430..U+044F without spaces.
    one('cyrillic-20k', '20,000 Cyrillic letters, no spaces', run(20_000, 0x430, 0x20, 3)),
    // Latin a..z: one 1,000,000-character word (1 MB, within the 4 MiB body limit).
    one('word-1mb', 'one 1 MB word (a-z, no spaces)', run(1_000_000, 0x61, 26, 4)),
    { name: 'turns-10k', what: '10,000 short turns', messages: turns },
  ];
}
