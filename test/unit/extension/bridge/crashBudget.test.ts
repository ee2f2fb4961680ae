import * as assert from 'node:assert/strict';
import { CrashBudget } from '../../../../extension/bridge/crashBudget';

describe('crash budget', () => {
  it('restarts the first three crashes within three minutes and stops at the fourth', () => {
    const budget = new CrashBudget();
    const t0 = 1_000_000;
    assert.equal(budget.recordCrash(t0).restart, true);
    assert.equal(budget.recordCrash(t0 + 10_000).restart, true);
    assert.equal(budget.recordCrash(t0 + 20_000).restart, true);
    const fourth = budget.recordCrash(t0 + 30_000);
    assert.equal(fourth.restart, false);
    assert.equal(fourth.crashes, 4);
    assert.match(budget.describe(fourth.crashes), /crashed 4 times in 3 minutes/);
  });

  it('forgets crashes older than the window', () => {
    const budget = new CrashBudget();
    const t0 = 0;
    budget.recordCrash(t0);
    budget.recordCrash(t0 + 1000);
    budget.recordCrash(t0 + 2000);
    const later = budget.recordCrash(t0 + 3 * 60 * 1000 + 2001);
    assert.equal(later.restart, true);
    assert.equal(later.crashes, 1);
  });

  it('backs off between restarts, capped', () => {
    const budget = new CrashBudget(10, 60_000);
    const delays = [0, 1, 2, 3, 4].map((i) => budget.recordCrash(i).delayMs);
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 4000]);
  });

  it('a reset grants a fresh budget', () => {
    const budget = new CrashBudget();
    for (let i = 0; i < 3; i++) budget.recordCrash(i);
    budget.reset();
    assert.equal(budget.recordCrash(10).crashes, 1);
  });
});
