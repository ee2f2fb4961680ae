// Gives memory back after a burst. V8 keeps the heap it grew under load committed while the
// process is idle, and an editor bridge is idle most of the day. So once no request has been in
// flight for six checks in a row, 5 s apart (25-30 s after the last one ended):
// - V8 is told to favour memory over speed until the next request (favour-memory.ts). Its
//   memory reducer then runs within 8 s: two collections that compact the heap and release the
//   pages V8 keeps pooled. Without this it never ran after a load (it kept reading the load's
//   allocation rate), and RSS stayed at its peak: 1,000 streams, then 60 s idle, 120 MB before,
//   88 MB with it (bench/streams-probe.ts, IDLE_STEPS=4).
// - if the heap is well above what it was after the last such collection, the bridge asks V8 for
//   one full collection, which arms the reducer. The "last resort" flavour returns as much at
//   once, but it is several collections in a row that stop the event loop for 70-110 ms, and it
//   drops compiled code, so the next burst runs cold.
// Both happen only while idle, so rarely anyone waits on them (pauses of 10-26 ms each).
import { getHeapStatistics } from 'node:v8';
import { processVotes, type QuietVotes } from './favour-memory';

type Gc = (options?: { type?: string; execution?: string; flavor?: string }) => void;

const CHECK_MS = 5000;
/**
 * Checks in a row with nothing in flight before collecting (25-30 s). A last-resort collection also
 * drops compiled code: after short pauses between bursts it made the next burst run cold
 * (measured in the bench: CPU per request up by about two thirds).
 */
const QUIET_CHECKS = 6;
/** Heap growth since the last collection that is worth giving back. */
const SLACK_BYTES = 8 * 1024 * 1024;

/**
 * Runs V8's gc() once; false when the runtime does not expose it (started without --expose-gc,
 * which the bridge otherwise applies itself). Never reached through a second vm context: one
 * such context slowed every later request for the life of the process (runtime-flags.ts has the
 * figures), so without the flag not collecting is the cheaper loss and V8's own memory reducer
 * still shrinks the heap.
 */
export function collectGarbage(options: Parameters<Gc>[0]): boolean {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (typeof gc !== 'function') return false;
  gc(options);
  return true;
}

export interface IdleGc {
  /** A request is starting: V8 back to favouring speed, if it was told otherwise. */
  wake(): void;
  stop(): void;
}

export interface IdleGcOptions {
  checkMs?: number;
  /** Replaces this process's votes on --optimize-for-size (tests). */
  votes?: QuietVotes;
}

export function startIdleGc(inFlight: () => number, opts: IdleGcOptions = {}): IdleGc {
  const voter = (opts.votes ?? processVotes).join();
  let floor = getHeapStatistics().total_heap_size;
  let quiet = 0;
  let votedQuiet = false;
  let canCollect = true;
  const timer = setInterval(() => {
    if (inFlight() > 0) {
      quiet = 0;
      return;
    }
    if (++quiet < QUIET_CHECKS) return;
    if (!votedQuiet) {
      votedQuiet = true;
      voter.vote(true);
    }
    if (!canCollect) return;
    const total = getHeapStatistics().total_heap_size;
    // The memory reducer shrinks the heap after our collection, in its own time: the low it
    // reaches is the floor the next burst is measured from.
    floor = Math.min(floor, total);
    if (total < floor + SLACK_BYTES) return;
    // A runtime that refuses gc() refuses it every time: stop asking.
    canCollect = collectGarbage({ type: 'major', execution: 'sync', flavor: 'regular' });
    floor = getHeapStatistics().total_heap_size;
  }, opts.checkMs ?? CHECK_MS);
  timer.unref();
  return {
    // On every request with a body: kept to an assignment and a test unless it changes a vote.
    wake() {
      quiet = 0;
      if (!votedQuiet) return;
      votedQuiet = false;
      voter.vote(false);
    },
    stop() {
      clearInterval(timer);
      voter.leave();
    },
  };
}
