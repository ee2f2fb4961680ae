// The bridge's caches stay bounded whatever the traffic: many distinct conversations fill the
// session memory up to sessionMax and no further; citations stay at the number of distinct
// citations seen. Read through RunningBridge.cacheSizes() and GET /bridge/info.
// Guards: bridge/upstream/lru.ts LruTtl.set (evicts past `max`), used by
// bridge/upstream/sessions.ts SessionMemory and bridge/upstream/citations.ts.
import assert from 'node:assert/strict';
import { KNOWLEDGE } from '../../bridge/simulator/index';
import { chatBody, httpRequest, postChat } from './support/http';
import { withStack } from './support/stack';
import { classify } from './support/wellformed';

const TOPICS = ['install', 'routing', 'middleware', 'configuration', 'deploy', 'testing'];

describe('hardening: cache bounds', function () {
  this.timeout(60_000);

  it('600 distinct conversations with sessionMax 50: at most 50 sessions remembered', () =>
    withStack({ sim: { chunkDelayMs: 0 }, bridge: { sessionMax: 50 } }, async (s) => {
      const MAX = 50;
      let peak = { sessions: 0, citations: 0 };
      const sample = () => {
        const now = s.bridge.cacheSizes();
        peak = {
          sessions: Math.max(peak.sessions, now.sessions),
          citations: Math.max(peak.citations, now.citations),
        };
      };
      const CONCURRENCY = 10;
      const TOTAL = 600;
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < TOTAL) {
            const i = next++;
            const body = chatBody(
              i % 2 === 0,
              `How does ${TOPICS[i % TOPICS.length]} work? (${i})`,
            );
            const res = await postChat(s.bridge.port, s.bridge.token, body);
            const outcome = classify(res.status, res.headers['content-type'], res.text);
            assert.ok(
              outcome.kind === 'completion' || outcome.kind === 'stream-done',
              JSON.stringify(outcome),
            );
            sample();
          }
        }),
      );
      assert.ok(peak.sessions <= MAX, `sessions peaked at ${peak.sessions}`);
      assert.ok(peak.sessions >= MAX / 2, `sessions were really used (${peak.sessions})`);
      assert.ok(peak.citations <= KNOWLEDGE.length, `citations peaked at ${peak.citations}`);
      const info = await httpRequest(s.bridge.port, {
        path: '/bridge/info',
        headers: { authorization: `Bearer ${s.bridge.token}` },
      });
      const caches = (JSON.parse(info.text) as { caches?: { sessions: number; citations: number } })
        .caches;
      assert.deepEqual(caches, s.bridge.cacheSizes(), '/bridge/info reports the same sizes');
    }));
});
