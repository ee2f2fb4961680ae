// Entry of dist/tokenizer.js (loaded on first use, see usage.ts): counts cl100k_base tokens
// without ever holding the event loop for long, whatever the text.
// - The encoding is data, not code: dist/cl100k_base.txt (written by esbuild.mjs), read
//   asynchronously, so no megabyte of JavaScript is compiled on the event loop; the rank table
//   (100k tokens, ~6 MB as a Map) is built from it on first use, in slices.
// - Each pre-token is counted by bpe.ts in O(n log n); one longer than MAX_PIECE characters (a
//   run of letters with no space, a base64 blob) is counted in MAX_PIECE pieces, which may
//   differ from the exact count by a token per cut.
// - Work runs in slices of at most SLICE_MS; between slices the event loop serves everyone else
//   (setImmediate), so one huge request slows only its own usage chunk.
// - Past EXACT_CHARS characters per request the rest is estimated from the tokens per character
//   counted so far, which bounds the CPU time one request can take (about a second of CJK, less
//   for other text; the slices keep even that from holding anyone else up).
// - The rank table is dropped after RELEASE_AFTER_MS without use, so a bridge that counted once
//   returns to its idle memory.
// Special tokens such as <|endoftext|> are counted as the plain text they are.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { countPieceTokens, type Ranks } from './bpe';

/** Beside dist/tokenizer.js: the pre-token pattern on the first line, then tiktoken's ranks. */
export const ENCODING_FILE = 'cl100k_base.txt';

export const SLICE_MS = 8;
export const MAX_PIECE = 1024;
/** Characters one run of the pre-token regex sees (its cost is linear: ~5 ms for 64K CJK). */
export const WINDOW = 64 * 1024;
export const EXACT_CHARS = 256 * 1024;
export const RELEASE_AFTER_MS = 10 * 60_000;

export interface CountOptions {
  sliceMs?: number;
  exactChars?: number;
  /** Pre-token regex window, for tests. */
  window?: number;
}

/** Measures one slice of work; `pauseIfDue()` gives the event loop a turn once the slice is used up. */
class Slicer {
  private start = performance.now();
  constructor(private readonly ms: number) {}

  async pauseIfDue(): Promise<void> {
    if (performance.now() - this.start < this.ms) return;
    await nextTurn();
    this.start = performance.now();
  }
}

export interface Encoding {
  /** The pre-token regular expression's source (flags "gu"). */
  pattern: string;
  ranks: Ranks;
}

let encoding: Promise<Encoding> | undefined;
let release: NodeJS.Timeout | undefined;

/** cl100k_base, built in slices on first use and kept while in use. */
export function loadEncoding(sliceMs = SLICE_MS): Promise<Encoding> {
  encoding ??= (async () => {
    const { pattern, compressed } = await readEncoding();
    return { pattern, ranks: await buildRanks(compressed, new Slicer(sliceMs)) };
  })().catch((err: unknown) => {
    encoding = undefined;
    throw err;
  });
  release ??= setTimeout(() => {
    encoding = undefined;
    release = undefined;
  }, RELEASE_AFTER_MS).unref();
  release.refresh();
  return encoding;
}

async function readEncoding(): Promise<{ pattern: string; compressed: string }> {
  const file = join(__dirname, ENCODING_FILE);
  if (existsSync(file)) {
    const text = await readFile(file, 'utf8');
    const nl = text.indexOf('\n');
    return { pattern: text.slice(0, nl), compressed: text.slice(nl + 1) };
  }
  // From source (tests): the package the file is written from. Never bundled (esbuild.mjs).
  const cl100k = require('js-tiktoken/ranks/cl100k_base') as { pat_str: string; bpe_ranks: string };
  return { pattern: cl100k.pat_str, compressed: cl100k.bpe_ranks };
}

/**
 * Parses tiktoken's compressed ranks: lines of "<name> <first rank> <base64 token> ...", each
 * token ranked one above the one before. Walked with indexOf (splitting the 1 MB string at once
 * would itself hold the event loop), pausing when a slice is used up.
 */
async function buildRanks(compressed: string, slicer: Slicer): Promise<Ranks> {
  const table = new Map<string, number>();
  let rank = 0;
  let field = 0; // 0: the line's name, 1: its first rank, 2+: tokens
  for (let at = 0; at < compressed.length; ) {
    let end = at;
    for (let c = compressed.charCodeAt(end); end < compressed.length && c !== 32 && c !== 10; ) {
      c = compressed.charCodeAt(++end);
    }
    const word = compressed.slice(at, end);
    if (field === 1) rank = Number.parseInt(word, 10);
    else if (field >= 2 && word !== '') {
      table.set(Buffer.from(word, 'base64').toString('latin1'), rank++);
      if ((table.size & 1023) === 0) await slicer.pauseIfDue();
    }
    field = compressed.charCodeAt(end) === 10 ? 0 : field + 1;
    at = end + 1;
  }
  return table;
}

/**
 * Token counts of each text (tiktoken's encode_ordinary(text).length, up to the cuts above),
 * computed in slices that yield to the event loop.
 */
export async function countTokens(
  texts: readonly string[],
  opts: CountOptions = {},
): Promise<number[]> {
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  const exactChars = opts.exactChars ?? EXACT_CHARS;
  const { pattern, ranks } = await loadEncoding(sliceMs);
  const slicer = new Slicer(sliceMs);
  let countedChars = 0;
  let countedTokens = 0;
  const estimate = (chars: number) =>
    Math.ceil((chars * (countedChars > 0 ? countedTokens : 1)) / (countedChars || 4));
  const counts: number[] = [];
  for (const text of texts) {
    let tokens = 0;
    /** Characters of this text counted so far (pre-tokens cover the text without gaps). */
    let done = 0;
    for (const pretoken of pretokensOf(text, pattern, opts.window)) {
      if (countedChars >= exactChars) break;
      for (let start = 0; start < pretoken.length && countedChars < exactChars; ) {
        const end = cutAfter(pretoken, start);
        const n = countPieceTokens(utf8Bytes(pretoken.slice(start, end)), ranks);
        tokens += n;
        countedTokens += n;
        countedChars += end - start;
        done += end - start;
        start = end;
        await slicer.pauseIfDue();
      }
    }
    if (done < text.length) tokens += estimate(text.length - done);
    counts.push(tokens);
  }
  return counts;
}

/**
 * cl100k_base's pre-tokens of `text`, matched WINDOW characters at a time so that one regex run
 * stays short even on a megabyte with no space. A match that reaches a window's end might have
 * gone on, so it is matched again at the start of the next window; a window never ends inside
 * or just after whitespace (see below); only a pre-token longer than a whole window is cut at the window's end.
 */
export function* pretokensOf(text: string, source: string, window = WINDOW): Generator<string> {
  const pattern = new RegExp(source, 'gu');
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + window, text.length);
    // A window must not end inside whitespace: a match such as `\s*[\r\n]+` that ends before
    // the window's trailing whitespace could grow in the whole text (more line breaks after the
    // cut). The window goes on to the next non-whitespace character (at most one more window).
    const reach = Math.min(end + window, text.length);
    while (end < reach && WHITESPACE.test(text[end]!)) end++;
    // Nor just after it: `\s+(?!\S)` leaves the last space to a following word (" a"), so the
    // window takes that next character too, and the match holding it is matched again next time.
    if (end < text.length && WHITESPACE.test(text[end - 1]!)) end++;
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
    const span = at === 0 && end === text.length ? text : text.slice(at, end);
    const last = end === text.length;
    let consumed = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(span); match !== null; match = pattern.exec(span)) {
      const stop = match.index + match[0].length;
      if (stop === span.length && !last && match.index > 0) break;
      yield match[0];
      consumed = stop;
    }
    if (consumed === 0 && !last) consumed = span.length; // nothing matched: cannot happen
    at += consumed;
    if (last) break;
  }
}

const WHITESPACE = /\s/u;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** End of the piece of `pretoken` counted at once from `start`: at most MAX_PIECE characters. */
function cutAfter(pretoken: string, start: number): number {
  let end = start + MAX_PIECE;
  if (end >= pretoken.length) return pretoken.length;
  // Never cut a surrogate pair in two.
  if (isHighSurrogate(pretoken.charCodeAt(end - 1))) end--;
  return end;
}

/** UTF-8 bytes as a latin1 string, the rank table's key format. ASCII is its own encoding. */
function utf8Bytes(text: string): string {
  return Buffer.byteLength(text, 'utf8') === text.length
    ? text
    : Buffer.from(text, 'utf8').toString('latin1');
}
