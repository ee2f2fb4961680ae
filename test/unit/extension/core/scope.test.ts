import * as assert from 'node:assert/strict';
import { LifeScopes, Scope } from '../../../../extension/core/scope';

describe('scopes', () => {
  it('runs cleanups newest first, awaiting async ones, even when one throws', async () => {
    const order: string[] = [];
    const scope = new Scope();
    scope.add(() => {
      order.push('first');
    });
    scope.add(() => {
      throw new Error('boom');
    });
    scope.add(async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push('async');
    });
    scope.track({ dispose: () => order.push('tracked') });
    await scope.dispose();
    assert.deepEqual(order, ['tracked', 'async', 'first']);
    assert.equal(scope.disposed, true);
  });

  it('runs a cleanup added after disposal at once', async () => {
    const scope = new Scope();
    await scope.dispose();
    let ran = false;
    scope.add(() => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(ran, true);
  });

  it('renews the bridge scope without touching the extension scope', async () => {
    const scopes = new LifeScopes();
    let bridgeCleaned = 0;
    let extensionCleaned = 0;
    scopes.bridge.add(() => {
      bridgeCleaned++;
    });
    scopes.extension.add(() => {
      extensionCleaned++;
    });
    const first = scopes.bridge;
    const second = await scopes.renewBridge();
    assert.notEqual(first, second);
    assert.equal(bridgeCleaned, 1);
    assert.equal(extensionCleaned, 0);
    await scopes.dispose();
    assert.equal(extensionCleaned, 1);
  });
});
