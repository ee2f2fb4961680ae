// Gives memory back after a burst. V8 keeps the heap it grew under load committed while the
// process is idle (measured: heapTotal stays at ~80 MB with 14 MB in use), and an editor
// bridge is idle most of the day. So once no request has been in flight for six checks in a
// row (30 s) and the heap is well above what it was after the last such collection, the bridge asks
// V8 for a full, shrinking collection (the "last resort" flavour, the one that also returns
// the young generation's pages). It only ever runs while idle, so nobody waits on it.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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
 * Runs V8's gc() once, without --expose-gc on the command line; false if the runtime refuses.
 * The gc function comes from a new vm context made for this one call and let go right after:
 * a second context kept alive for the process's life (as a gc() held from start-up did) slowed
 * every request. Measured with c=64 non-streaming load against compat mode, the collection never
 * running: CPU per request 0.30-0.36 ms with one context vs 0.44-0.53 ms with a second one
 * (vm.createContext alone does it), and 2-3x as many full GCs.
 */
export function collectGarbage(options: Parameters<Gc>[0]): boolean {
  const existing = (globalThis as { gc?: Gc }).gc;
  if (typeof existing === 'function') {
    existing(options);
    return true;
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc !== 'function') return false;
    (gc as Gc)(options);
    return true;
  } catch {
    return false;
  }
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
    if (getHeapStatistics().total_heap_size < floor + SLACK_BYTES) return;
    // A runtime that refuses gc() refuses it every time: stop asking.
    if (!collectGarbage({ type: 'major', execution: 'sync', flavor: 'last-resort' }))
      clearInterval(timer);
    floor = getHeapStatistics().total_heap_size;
  }, CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
