// The bridge's full collections (start-up rehearsal, idle give-back) use the gc() that
// --expose-gc gives, and nothing else: a second V8 context made to reach gc() slowed every later
// request for the life of the process (idle-gc.ts has the figures).
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { collectGarbage } from '../../../bridge/idle-gc.js';

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
