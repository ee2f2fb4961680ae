// Gives memory back after a burst. V8 keeps the heap it grew under load committed while the
// process is idle (measured: heapTotal stays at ~80 MB with 14 MB in use), and an editor
// bridge is idle most of the day. So once no request has been in flight for six checks in a
// row (30 s) and the heap is well above what it was after the last such collection, the bridge asks
// V8 for one full collection; V8's own memory reducer then gives the pages back over the next
// seconds, without being asked. The "last resort" flavour returns
// a little more at once, but it is several collections in a row that stop the event loop for
// 80-110 ms on a 2-core machine after a burst, against 30-40 ms for this one (measured:
// bench/throughput-probe.ts at c=64, then a minute idle, event-loop delay per second; RSS
// after the minute 84-90 MB either way). It only runs while idle, so rarely anyone waits on it.
import { getHeapStatistics } from 'node:v8';

type Gc = (options?: { type?: string; execution?: string; flavor?: string }) => void;

const CHECK_MS = 5000;
/**
 * Checks in a row with nothing in flight before collecting (30 s). A last-resort collection also
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

export function startIdleGc(inFlight: () => number): { stop(): void } {
  let floor = getHeapStatistics().total_heap_size;
  let quiet = 0;
  const timer = setInterval(() => {
    if (inFlight() > 0) {
      quiet = 0;
      return;
    }
    if (++quiet < QUIET_CHECKS) return;
    const total = getHeapStatistics().total_heap_size;
    // The memory reducer shrinks the heap after our collection, in its own time: the low it
    // reaches is the floor the next burst is measured from.
    floor = Math.min(floor, total);
    if (total < floor + SLACK_BYTES) return;
    // A runtime that refuses gc() refuses it every time: stop asking.
    if (!collectGarbage({ type: 'major', execution: 'sync', flavor: 'regular' }))
      clearInterval(timer);
    floor = getHeapStatistics().total_heap_size;
  }, CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
