// Regressions from a review of the bridge: a client leaving at an awkward moment, sessions
// shared by accident, a failed model lookup, browser preflights from the openai SDK, and
// streams still open when shutdown runs out of time.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { CITED_PROMPT, postRaw, startStack, waitFor, withStack } from './harness.js';
import { readUntil } from './raw-sse.js';

const streamBody = (content: string) => ({
  model: 'x',
  stream: true,
  messages: [{ role: 'user', content }],
});

describe('robustness', () => {
  it('a client leaving while citations are looked up frees its slot at once', () =>
    withStack({ bridge: { maxConcurrent: 1 } }, async (s) => {
      // The citation lookup is slow, so the client leaves while the bridge waits on it.
      s.sim.injectFault({ kind: 'slow-first-byte', ms: 1500, match: '/citations/' });
      const res = await postRaw(s.bridge.origin, '/v1/chat/completions', streamBody(CITED_PROMPT), {
        token: s.bridge.token,
      });
      await readUntil(res, (t) => t.includes('Acme'));
      await waitFor(() => s.bridge.activeStreams() === 0, 'the stream is counted as ended');
      const next = await postRaw(
        s.bridge.origin,
        '/v1/chat/completions',
        { model: 'x', messages: [{ role: 'user', content: CITED_PROMPT }] },
        { token: s.bridge.token },
      );
      assert.equal(next.status, 200, 'the only slot is free again (no 429)');
    }));

  it('a regenerated turn never continues another chat that began the same way', () =>
    withStack({}, async (s) => {
      const client = s.client({ maxRetries: 0 });
      const ask = async (messages: { role: 'user' | 'assistant'; content: string }[]) => {
        const { data, response } = await client.chat.completions
          .create({ model: 'x', messages })
          .withResponse();
        return {
          answer: data.choices[0]?.message.content ?? '',
          session: response.headers.get('x-customgpt-session-id'),
        };
      };
      const q1 = CITED_PROMPT;
      const q2 = 'And how do I configure routes?';
      const a1 = await ask([{ role: 'user', content: q1 }]);
      const a2 = await ask([
        { role: 'user', content: q1 },
        { role: 'assistant', content: a1.answer },
        { role: 'user', content: q2 },
      ]);
      assert.equal(a2.session, a1.session, 'chat A continues its own conversation');
      const b1 = await ask([{ role: 'user', content: q1 }]);
      const b2 = await ask([
        { role: 'user', content: q1 },
        { role: 'assistant', content: b1.answer },
        { role: 'user', content: q2 },
      ]);
      assert.equal(b2.session, b1.session, 'chat B continues its own conversation');
      const regenerated = await ask([
        { role: 'user', content: q1 },
        { role: 'assistant', content: a1.answer },
        { role: 'user', content: q2 },
      ]);
      assert.ok(regenerated.session, 'a session header');
      assert.notEqual(regenerated.session, b1.session, "not B's conversation");
      assert.notEqual(regenerated.session, a1.session, "not A's conversation, which moved on");
    }));

  it('a non-streaming answer survives a failed model lookup', () =>
    withStack({}, async (s) => {
      // Project 1002's settings were never fetched: the lookup fails, the answer must not.
      s.sim.injectFault({
        kind: 'status',
        status: 503,
        match: '/projects/1002/settings',
        times: 5,
      });
      const res = await postRaw(
        s.bridge.origin,
        '/api/v1/projects/1002/chat/completions',
        { model: 'x', messages: [{ role: 'user', content: CITED_PROMPT }] },
        { token: s.bridge.token },
      );
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        model: string;
        choices: { message: { content: string } }[];
      };
      assert.equal(body.model, 'customgpt');
      assert.ok(body.choices[0]?.message.content.includes('Acme'));
    }));

  it("an allowed origin's preflight admits the openai SDK's x-stainless-* headers", async () => {
    const origin = 'http://localhost:5173';
    const s = await startStack({ bridge: { allowedOrigins: [origin] } });
    try {
      const asked = 'authorization, content-type, x-stainless-os, x-stainless-retry-count';
      const allowed = await new Promise<string>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: s.bridge.port,
            method: 'OPTIONS',
            path: '/v1/chat/completions',
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': asked,
            },
          },
          (res) => {
            res.resume();
            assert.equal(res.statusCode, 204);
            resolve(String(res.headers['access-control-allow-headers']));
          },
        );
        req.on('error', reject);
        req.end();
      });
      for (const h of ['x-stainless-os', 'x-stainless-retry-count', 'authorization']) {
        assert.ok(allowed.includes(h), `${h} allowed: ${allowed}`);
      }
    } finally {
      await s.close();
    }
  });

  it('a stream still open when the shutdown grace ends gets an error event, not a cut', () =>
    withStack({ bridge: { shutdownGraceMs: 300 } }, async (s) => {
      s.sim.injectFault({ kind: 'stall', afterEvents: 3 });
      const res = await postRaw(s.bridge.origin, '/v1/chat/completions', streamBody(CITED_PROMPT), {
        token: s.bridge.token,
      });
      assert.ok(res.body);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('"content":"')) {
        const { value, done } = await reader.read();
        assert.ok(!done, 'stream ended too early');
        text += decoder.decode(value, { stream: true });
      }
      const closing = s.bridge.close();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      await closing;
      assert.match(text, /"code":"bridge_stopping"/, 'the stream ended with an error event');
    }));
});
