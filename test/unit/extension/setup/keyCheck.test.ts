import * as assert from 'node:assert/strict';
import { startSimulator } from '../../../../bridge/simulator';
import { checkApiKey, verdictOf } from '../../../../extension/setup/keyCheck';

describe('API key check on Set API Key (issue 9.2)', () => {
  it('reads the status of GET /api/v1/user', () => {
    assert.deepEqual(verdictOf(200), { kind: 'accepted' });
    assert.deepEqual(verdictOf(401), { kind: 'rejected', status: 401 });
    assert.deepEqual(verdictOf(403), { kind: 'rejected', status: 403 });
    assert.equal(verdictOf(429).kind, 'unverified');
    assert.equal(verdictOf(503).kind, 'unverified');
  });

  it('accepts the key the CustomGPT.ai simulator knows and rejects another', async () => {
    const sim = await startSimulator({ apiKey: 'sk-right-key-for-the-check' });
    try {
      assert.deepEqual(await checkApiKey(sim.url, 'sk-right-key-for-the-check'), {
        kind: 'accepted',
      });
      assert.deepEqual(await checkApiKey(sim.url, 'sk-wrong'), { kind: 'rejected', status: 401 });
    } finally {
      await sim.close();
    }
  });

  it('cannot tell when nothing answers: unverified, not rejected', async () => {
    const verdict = await checkApiKey('http://127.0.0.1:9', 'sk-any', 2000);
    assert.equal(verdict.kind, 'unverified');
  });
});
