// The bridge's full collections (start-up rehearsal, idle give-back) use the gc() that
// --expose-gc gives, and nothing else: a second V8 context made to reach gc() slowed every later
// request for the life of the process (idle-gc.ts has the figures).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { QuietVotes } from '../../../bridge/favour-memory.js';
import { collectGarbage, startIdleGc } from '../../../bridge/idle-gc.js';

type Holder = { gc?: unknown };

function withGc<T>(gc: unknown, body: () => T): T {
  const holder = globalThis as Holder;
  const saved = holder.gc;
  // --expose-gc's global cannot be deleted, only overwritten: undefined stands for "not exposed".
  holder.gc = gc;
  try {
    return body();
  } finally {
    holder.gc = saved;
  }
}

describe('collectGarbage', () => {
  it('calls the exposed gc() with the options given', () => {
    const calls: unknown[] = [];
    const done = withGc(
      (o: unknown) => calls.push(o),
      () => collectGarbage({ type: 'major', execution: 'sync', flavor: 'regular' }),
    );
    assert.equal(done, true);
    assert.deepEqual(calls, [{ type: 'major', execution: 'sync', flavor: 'regular' }]);
  });

  it('without --expose-gc: does nothing and makes no second context to reach gc()', () => {
    const before = getHeapStatistics().number_of_native_contexts;
    const done = withGc(undefined, () => collectGarbage({ type: 'major', execution: 'sync' }));
    assert.equal(done, false);
    // A context made for the call would still be counted here: nothing has collected it yet.
    assert.equal(getHeapStatistics().number_of_native_contexts, before);
  });

  it('the test runner exposes gc() (.mocharc.json), so suites that collect really do', () => {
    assert.equal(typeof (globalThis as Holder).gc, 'function');
  });
});

describe('startIdleGc: V8 favours memory only while the bridge is quiet', () => {
  // Checks every 5 ms: six quiet checks (the bridge's 25-30 s) take about 30 ms here.
  const CHECK = 5;
  const QUIET = 6 * CHECK;

  /** Waits until `cond` holds (timers can run late on a busy machine), failing after 5 s. */
  async function until(cond: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!cond()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
      await sleep(CHECK);
    }
  }

  function started(inFlight: () => number) {
    const calls: boolean[] = [];
    const idle = startIdleGc(inFlight, {
      checkMs: CHECK,
      votes: new QuietVotes((on) => calls.push(on)),
    });
    return { idle, calls };
  }

  it('turns it on after six quiet checks, once, and off as the next request starts', async () => {
    const { idle, calls } = started(() => 0);
    try {
      await sleep(QUIET / 2);
      assert.deepEqual(calls, [], 'not before six quiet checks');
      await until(() => calls.length > 0, 'favouring memory');
      await sleep(QUIET * 2);
      assert.deepEqual(calls, [true], 'on once, not again at every later quiet check');
      idle.wake();
      assert.deepEqual(calls, [true, false]);
      idle.wake();
      assert.deepEqual(calls, [true, false], 'a request while not favouring changes nothing');
      await until(() => calls.length > 2, 'favouring memory again');
      assert.deepEqual(calls, [true, false, true], 'quiet again: on again');
    } finally {
      idle.stop();
    }
    assert.deepEqual(calls, [true, false, true, false], 'stopping leaves V8 favouring speed');
  });

  it('counts quiet checks from the last request: requests keep it off', async () => {
    const { idle, calls } = started(() => 0);
    try {
      // A request every 10 ms: never six quiet checks in a row.
      for (let i = 0; i < 10; i++) {
        await sleep(2 * CHECK);
        idle.wake();
      }
      assert.deepEqual(calls, []);
    } finally {
      idle.stop();
    }
    assert.deepEqual(calls, [], 'stopping while off changes nothing');
  });

  it('not while a request is in flight; from six quiet checks after it ends', async () => {
    let inFlight = 1;
    const { idle, calls } = started(() => inFlight);
    try {
      await sleep(QUIET * 3);
      assert.deepEqual(calls, []);
      inFlight = 0;
      await until(() => calls.length > 0, 'favouring memory once the request ended');
      assert.deepEqual(calls, [true]);
    } finally {
      idle.stop();
    }
  });
});
