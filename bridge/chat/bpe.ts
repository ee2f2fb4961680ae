// Byte-pair encoding that only counts, in O(n log n) for a pre-token of n bytes.
// tiktoken's reference merge loop (and js-tiktoken's port of it) rescans every pair after each
// merge: O(n^2) per pre-token, and a pre-token is a whole run of letters or symbols with no space
// (60,000 CJK characters are one), so counting such text blocked the bridge for seconds. Here
// the candidate pairs sit in a min-heap keyed by (rank, position), so each merge costs a heap
// operation and two rank look-ups. The merge order is tiktoken's exactly (lowest rank first,
// leftmost on a tie), so the counts are the same; a unit test checks them against js-tiktoken.

/** Token ranks by their bytes, each byte one char of a latin1 string (cheap to slice and hash). */
export type Ranks = ReadonlyMap<string, number>;

/** Ranks below 2^20 and positions below 2^32 pack into one exactly representable double. */
const POSITION_SPAN = 2 ** 32;

/**
 * Number of tokens of one pre-token. `bytes` is its UTF-8 encoding as a latin1 string (one char
 * per byte); every single byte must have a rank (true of every tiktoken encoding).
 */
export function countPieceTokens(bytes: string, ranks: Ranks): number {
  const n = bytes.length;
  if (n <= 1) return n;
  if (ranks.has(bytes)) return 1;
  // The parts are a linked list of start offsets; `next[i]` is where the part at i ends.
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const alive = new Uint8Array(n);
  /** Rank of the pair (part at i + the part after it), or -1 when it is no token. */
  const pairRank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    alive[i] = 1;
  }
  const heap = new MinHeap(n);
  const rankPairAt = (i: number) => {
    const j = next[i]!;
    if (j >= n) {
      pairRank[i] = -1;
      return;
    }
    const rank = ranks.get(bytes.slice(i, next[j]!));
    pairRank[i] = rank ?? -1;
    if (rank !== undefined) heap.push(rank * POSITION_SPAN + i);
  };
  for (let i = 0; i < n - 1; i++) rankPairAt(i);
  let parts = n;
  while (heap.size > 0) {
    const top = heap.pop();
    const i = top % POSITION_SPAN;
    const rank = (top - i) / POSITION_SPAN;
    // Stale entries (a part merged away, or a pair that grew since) are skipped. A rank names
    // one byte string, and a pair only grows, so an equal rank at i is the current pair.
    if (alive[i] === 0 || pairRank[i] !== rank) continue;
    const j = next[i]!;
    alive[j] = 0;
    next[i] = next[j]!;
    if (next[i]! < n) prev[next[i]!] = i;
    parts--;
    rankPairAt(i);
    if (prev[i]! >= 0) rankPairAt(prev[i]!);
  }
  return parts;
}

/** A binary min-heap of numbers in a growable Float64Array. */
class MinHeap {
  private items: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Float64Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.size === this.items.length) {
      const grown = new Float64Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const a = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= value) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = value;
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a[--this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && a[child + 1]! < a[child]!) child++;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
