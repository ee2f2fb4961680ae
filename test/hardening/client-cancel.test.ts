// A client that goes away mid-stream has its upstream request aborted at once, and a client
// that stops reading pauses the upstream instead of making the bridge buffer the answer.
// Guards: bridge/chat/handler.ts handleChat (`res.on('close', onClose)` -> abort.abort(), the
// signal passed to the upstream request in bridge/upstream/client.ts) and streamAnswer's
// `if (!res.write(frame)) await drained(res)` (bridge/chat/respond.ts drained).
import assert from 'node:assert/strict';
import { endlessAnswer, startFakeUpstream } from './support/fake-upstream';
import { chatBody } from './support/http';
import { openSocket, sleep } from './support/socket';
import { assertHealthy, bridgeFor, note, startStack, waitFor } from './support/stack';

/** The upstream request must be aborted within this long of the client's cancel (the task's bound). */
const ABORT_BOUND_MS = 100;

function rawChatRequest(port: number, token: string, body: unknown): string {
  const text = JSON.stringify(body);
  return (
    `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
  );
}

describe('hardening: client cancels mid-stream', function () {
  this.timeout(30_000);

  for (const how of ['socket destroyed', 'fetch aborted'] as const) {
    it(`${how}: the upstream stream is aborted within ${ABORT_BOUND_MS} ms`, async () => {
      // One character per event, 50 ms apart: the answer would take ~20 s to finish.
      const s = await startStack({ sim: { chunkSize: 1, chunkDelayMs: 50 } });
      try {
        let cancelAt = 0;
        if (how === 'socket destroyed') {
          const socket = await openSocket(s.bridge.port);
          let seen = '';
          const sawContent = new Promise<void>((resolve) =>
            socket.on('data', (d: Buffer) => {
              seen += d.toString();
              if (seen.includes('"content":"F')) resolve();
            }),
          );
          socket.write(rawChatRequest(s.bridge.port, s.bridge.token, chatBody(true)));
          await sawContent;
          cancelAt = Date.now();
          socket.destroy();
        } else {
          const abort = new AbortController();
          const res = await fetch(`${s.bridge.url}/chat/completions`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${s.bridge.token}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify(chatBody(true)),
            signal: abort.signal,
          });
          const reader = res.body!.getReader();
          let seen = '';
          while (!seen.includes('"content":"F')) {
            const { value, done } = await reader.read();
            if (done) break;
            seen += new TextDecoder().decode(value);
          }
          cancelAt = Date.now();
          abort.abort();
        }
        await waitFor(() => s.sim.streams[0]?.endedAt !== undefined, 'the upstream stream ended');
        const record = s.sim.streams[0]!;
        assert.equal(record.outcome, 'client-aborted');
        const lag = record.endedAt! - cancelAt;
        note('abort lag ms', lag);
        assert.ok(lag <= ABORT_BOUND_MS, `upstream aborted ${lag} ms after the cancel`);
        await waitFor(() => s.bridge.activeStreams() === 0, 'the bridge forgot the stream');
        await assertHealthy(s.bridge.port);
      } finally {
        await s.close();
      }
    });
  }
});

describe('hardening: backpressure from a client that stops reading', function () {
  this.timeout(30_000);

  it('the upstream is paused, not drained into the bridge', async () => {
    // 256 MB of answer in 1 KiB events. A bridge that buffered would pull all of it within
    // seconds; one that honours backpressure stalls the upstream after socket buffers fill.
    const TOTAL = 256 * 1024 * 1024;
    const BOUND = 64 * 1024 * 1024;
    const { script, progress } = endlessAnswer(TOTAL, 1024);
    const fake = await startFakeUpstream(script);
    const bridge = await bridgeFor(fake.url, 'sk-fake-upstream-key-000');
    const socket = await openSocket(bridge.port);
    try {
      socket.pause(); // reads nothing at all, ever
      socket.write(rawChatRequest(bridge.port, bridge.token, chatBody(true)));
      await waitFor(() => progress.written > 1024 * 1024, 'the answer started', 10_000);
      // Wait for the upstream to stall: no progress over half a second.
      let last = -1;
      for (let i = 0; i < 40 && progress.written !== last; i++) {
        last = progress.written;
        await sleep(500);
      }
      const stalledAt = progress.written;
      await sleep(1000);
      note('upstream MiB written before it stalled', Math.round(stalledAt / 2 ** 17) / 8);
      assert.ok(!progress.done, 'the upstream never got to finish');
      assert.ok(stalledAt < BOUND, `the upstream wrote ${(stalledAt / 2 ** 20).toFixed(1)} MiB`);
      assert.ok(progress.written - stalledAt < 1024 * 1024, 'and stays paused while nobody reads');
      socket.destroy();
      await waitFor(
        () => progress.closedEarly,
        'the upstream request is aborted after the client left',
      );
      await assertHealthy(bridge.port);
    } finally {
      socket.destroy();
      await bridge.close();
      await fake.close();
    }
  });
});
