// --optimize-for-size belongs to the whole process, so bridges in one process (tests, the
// start-up rehearsal) vote: it is on only while every one of them is quiet.
import assert from 'node:assert/strict';
import { favourMemory, QuietVotes, startedFavouringMemory } from '../../../bridge/favour-memory.js';

/** Votes whose flag changes are recorded instead of made. */
function recordedVotes() {
  const calls: boolean[] = [];
  return { calls, votes: new QuietVotes((on) => calls.push(on)) };
}

describe('favour memory while every bridge is quiet', () => {
  it('on only when all voters are quiet; off as soon as one is busy', () => {
    const { calls, votes } = recordedVotes();
    const a = votes.join();
    const b = votes.join();
    a.vote(true);
    assert.deepEqual(calls, [], 'b is busy');
    b.vote(true);
    assert.deepEqual(calls, [true]);
    b.vote(true);
    assert.deepEqual(calls, [true], 'no change, no call');
    b.vote(false);
    assert.deepEqual(calls, [true, false], "b's request turns it off for a as well");
    a.leave();
    assert.deepEqual(calls, [true, false]);
    b.vote(true);
    assert.deepEqual(calls, [true, false, true], 'b alone decides once a has left');
    b.leave();
    assert.deepEqual(calls, [true, false, true, false], 'nobody left: off');
  });

  it('a busy bridge leaving lets the quiet ones decide', () => {
    const { calls, votes } = recordedVotes();
    const quiet = votes.join();
    const busy = votes.join();
    quiet.vote(true);
    busy.leave();
    assert.deepEqual(calls, [true]);
    quiet.leave();
    assert.deepEqual(calls, [true, false]);
  });

  it('tells listeners of each change, the flag is set first; unsubscribing stops it', () => {
    const seen: string[] = [];
    const votes = new QuietVotes((on) => seen.push(`flag ${on}`));
    const off = votes.onChange((quiet) => seen.push(`listener ${quiet}`));
    const a = votes.join();
    a.vote(true);
    a.vote(true);
    a.vote(false);
    off();
    a.vote(true);
    assert.deepEqual(seen, [
      'flag true',
      'listener true',
      'flag false',
      'listener false',
      'flag true',
    ]);
  });

  it('leaves the flag alone when node was started with it, in either spelling', () => {
    assert.equal(startedFavouringMemory(['--optimize-for-size'], ''), true);
    assert.equal(startedFavouringMemory([], '--max-old-space-size=100 --optimize_for_size'), true);
    assert.equal(startedFavouringMemory(['--expose-gc'], '--trace-gc'), false);
    assert.equal(startedFavouringMemory([], ''), false);
  });

  it('the flag itself can be turned on and off at run time', () => {
    favourMemory(true);
    favourMemory(false);
  });
});
