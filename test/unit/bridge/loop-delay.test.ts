// The bench's event-loop report (bridge/loop-delay.ts) tells a stall of the bridge's own work
// from one where its main thread waited off the CPU: the worst stall comes with the CPU time the
// main thread used across it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QuietVotes } from '../../../bridge/favour-memory.js';
import {
  LOOP_REPORT_ENV,
  stallTracker,
  startLoopDelayReport,
  threadCpuMs,
} from '../../../bridge/loop-delay.js';

interface Report {
  maxMs: number;
  worstStallMs: number;
  worstStallSpanMs: number;
  worstStallCpuMs: number;
}

/** Runs `block` (which holds the main thread) under a fresh report; returns what it wrote. */
async function reportAround(block: () => void): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'loop-delay-'));
  const file = join(dir, 'report.json');
  const report = startLoopDelayReport({ [LOOP_REPORT_ENV]: file })!;
  const read = () => {
    report.flush();
    return JSON.parse(readFileSync(file, 'utf8')) as Report & { samples: number };
  };
  try {
    // The histogram's first tick only sets its starting point: a block before it would go
    // unseen (a descheduled test process can take longer than one tick to get there).
    const deadline = Date.now() + 5000;
    while (read().samples < 2 && Date.now() < deadline) await sleep(20);
    block();
    await sleep(50); // the tick after the stall
    return read();
  } finally {
    report.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('event-loop delay report', () => {
  it('keeps the worst stall of a periodic timer and the CPU time across it', () => {
    const t = stallTracker(10);
    t.tick(0, 0);
    t.tick(10, 2);
    t.tick(75, 40); // 55 ms late, 38 ms of CPU since the last tick
    t.tick(85, 42);
    t.tick(110, 43); // 15 ms late: not the worst
    assert.deepEqual(t.worst(), { stallMs: 55, spanMs: 65, cpuMs: 38 });
  });

  it('a restarted timer: the time it was stopped is not a stall', () => {
    const t = stallTracker(10);
    t.tick(0, 0);
    t.tick(12, 1);
    t.restart();
    t.tick(5000, 3); // 5 s later, after a quiet spell: only the new starting point
    t.tick(5010, 4);
    assert.deepEqual(t.worst(), { stallMs: 2, spanMs: 12, cpuMs: 1 });
  });

  it('stops its timers while quiet, and starts them on the next request', async function () {
    if (threadCpuMs() === undefined) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'loop-delay-'));
    const file = join(dir, 'report.json');
    const votes = new QuietVotes(() => {});
    const bridge = votes.join();
    const report = startLoopDelayReport({ [LOOP_REPORT_ENV]: file }, votes)!;
    const read = () => JSON.parse(readFileSync(file, 'utf8')) as Report & { samples: number };
    const block = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120);
    const waitForFile = async () => {
      const deadline = Date.now() + 5000;
      while (!existsSync(file) && Date.now() < deadline) await sleep(50);
      assert.ok(existsSync(file), 'report written');
    };
    try {
      await waitForFile(); // every second while busy
      bridge.vote(true);
      // Going quiet writes the report once; then neither timer runs.
      const atQuiet = read();
      rmSync(file);
      await sleep(1200);
      assert.ok(!existsSync(file), 'no rewrite while quiet');
      // A block while quiet: the native histogram sees it, the stopped timer does not.
      block();
      await sleep(50);
      report.flush();
      const quietSpell = read();
      assert.ok(quietSpell.maxMs >= 100, `histogram max ${quietSpell.maxMs} ms`);
      assert.equal(quietSpell.worstStallMs, atQuiet.worstStallMs, "the timer's worst stall");
      // Busy again: the timer ticks from a new starting point, and a block is a stall again.
      bridge.vote(false);
      block();
      await sleep(50);
      rmSync(file);
      await waitForFile();
      assert.ok(read().worstStallMs >= 100, `worst once busy ${read().worstStallMs} ms`);
    } finally {
      report.stop();
      bridge.leave();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports nothing unless the environment names a file', () => {
    assert.equal(startLoopDelayReport({}), undefined);
  });

  it('a stall of busy work: the main thread was on the CPU for most of it', async function () {
    if (threadCpuMs() === undefined) this.skip();
    const r = await reportAround(() => {
      const until = threadCpuMs()! + 150;
      while (threadCpuMs()! < until) {
        // spin: 150 ms of the main thread's own CPU time
      }
    });
    assert.ok(r.maxMs >= 140, `histogram max ${r.maxMs} ms`);
    assert.ok(r.worstStallMs >= 140, `worst stall ${r.worstStallMs} ms`);
    assert.ok(r.worstStallCpuMs >= 150, `CPU across it ${r.worstStallCpuMs} ms`);
    // Thread CPU time is read through getrusage, which can lag a scheduler tick: 5 ms of slack.
    assert.ok(r.worstStallCpuMs <= r.worstStallSpanMs + 5, `span ${r.worstStallSpanMs} ms`);
  });

  it('a stall off the CPU: the main thread blocked, its CPU time barely moved', async function () {
    if (threadCpuMs() === undefined) this.skip();
    const r = await reportAround(() => {
      // Blocks the main thread for 200 ms without running it, as waiting for a core does.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    });
    assert.ok(r.worstStallMs >= 180, `worst stall ${r.worstStallMs} ms`);
    assert.ok(r.worstStallCpuMs < 50, `CPU across it ${r.worstStallCpuMs} ms`);
  });
});
