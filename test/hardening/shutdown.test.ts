// Graceful shutdown under load (the CLI, SIGTERM): streams already open finish whole, new
// connections are refused at once, and the process exits 0.
// Guards: bridge/main.ts stop() on SIGTERM -> bridge.close() in bridge/app.ts (server.close()
// stops accepting, closeIdleConnections(), then waits for inFlight() up to shutdownGraceMs).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { answerFor, startSimulator } from '../../bridge/simulator/index';
import { type BridgeProcess, cleanEnv, ensureBuilt, spawnBridge } from './support/cli';
import { chatBody, postChat, USER_PROMPT } from './support/http';
import { sleep } from './support/socket';
import { note, SIM_KEY, type Simulator, waitFor } from './support/stack';
import { classify } from './support/wellformed';

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('hardening: graceful shutdown under load (CLI + SIGTERM)', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bridge: BridgeProcess | undefined;
  before(async () => {
    ensureBuilt();
    // 4 characters per event, 25 ms apart: each stream takes ~2-3 s.
    sim = await startSimulator({ apiKey: SIM_KEY, chunkSize: 4, chunkDelayMs: 25 });
  });
  after(async () => {
    await bridge?.stop();
    await sim.close();
  });

  it('open streams finish, new connections are refused, exit 0', async () => {
    bridge = spawnBridge(
      ['--port', '0', '--project', '1001', '--upstream', sim.url],
      cleanEnv({ CUSTOMGPT_API_KEY: SIM_KEY }),
    );
    const { port, token } = await bridge.ready;
    const STREAMS = 40;
    const answers = Array.from({ length: STREAMS }, (_, i) =>
      postChat(port, token, chatBody(true, `${USER_PROMPT} #${i}`)),
    );
    await waitFor(() => sim.openStreams() === STREAMS, `${STREAMS} streams open upstream`, 15_000);
    const signalledAt = Date.now();
    bridge.child.kill('SIGTERM');

    // New connections are refused within a moment (bounded poll; the streams keep going).
    let refusedAfterMs = -1;
    for (let i = 0; i < 100; i++) {
      if (!(await connects(port))) {
        refusedAfterMs = Date.now() - signalledAt;
        break;
      }
      await sleep(20);
    }
    assert.ok(refusedAfterMs >= 0, 'the port stopped accepting connections');
    assert.ok(sim.openStreams() > 0, 'streams were still open when the port closed');

    const expected = answerFor(USER_PROMPT).text;
    for (const res of await Promise.all(answers)) {
      const outcome = classify(res.status, res.headers['content-type'], res.text);
      assert.equal(outcome.kind, 'stream-done', JSON.stringify(outcome).slice(0, 300));
      assert.ok(outcome.kind === 'stream-done' && outcome.content.startsWith(expected));
    }
    const { code, signal } = await bridge.exited;
    note('shutdown', {
      streams: STREAMS,
      refusedAfterMs,
      exitCode: code,
      exitAfterMs: Date.now() - signalledAt,
    });
    assert.equal(signal, null);
    assert.equal(code, 0, bridge.stderr().slice(-500));
  });
});
