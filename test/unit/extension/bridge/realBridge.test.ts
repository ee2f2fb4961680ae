// The supervisor and clients against the real dist/bridge.js in demo mode (built by
// `npm run build`; skipped when it is missing, e.g. under `npm run test:unit` on a clean tree).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { probeBridge } from '../../../../extension/bridge/bridgeProbe';
import { spawnBridge } from '../../../../extension/bridge/bridgeProcess';
import { BridgeSupervisor } from '../../../../extension/bridge/supervisor';
import { streamChat, streamChatRecovering } from '../../../../extension/chat/chatClient';
import { LifeScopes } from '../../../../extension/core/scope';
import { fetchAllProjects } from '../../../../extension/setup/projectsClient';
import { generateBridgeToken } from '../../../../extension/setup/token';
import { freePort, isAlive, RecordingLogger, waitFor } from '../helpers';

const BRIDGE = path.join(__dirname, '..', '..', '..', '..', 'dist', 'bridge.js');

describe('extension against the real bridge (demo mode)', function () {
  this.timeout(30000);
  before(function () {
    if (!existsSync(BRIDGE)) this.skip();
  });

  const token = generateBridgeToken();
  let supervisor: BridgeSupervisor | undefined;
  const bridgeLines: string[] = [];

  afterEach(async () => {
    await supervisor?.dispose();
    supervisor = undefined;
  });

  async function startDemo(port: number): Promise<BridgeSupervisor> {
    supervisor = new BridgeSupervisor({
      plan: async () => ({
        port,
        token,
        args: ['--port', String(port), '--host', '127.0.0.1', '--stdin-lifeline', '--demo'],
        secretEnv: { CUSTOMGPT_BRIDGE_TOKEN: token },
        canSpawn: true,
      }),
      execPath: process.execPath,
      bridgeScript: BRIDGE,
      log: new RecordingLogger(),
      bridgeLog: (line) => bridgeLines.push(line),
      scopes: new LifeScopes(),
    });
    await supervisor.start();
    return supervisor;
  }

  it('starts, reports demo mode and the model, lists projects and streams a chat', async () => {
    const port = await freePort();
    const s = await startDemo(port);
    const state = s.state;
    assert.equal(state.kind, 'running');
    if (state.kind !== 'running') return;
    assert.equal(state.connection.simulated, true);
    assert.equal(state.connection.project, '1001');
    await waitFor(() => s.activity.connected && s.activity.model, 5000, 'hello with model');

    const projects = await fetchAllProjects(`http://127.0.0.1:${port}`, token, () => undefined);
    assert.ok(projects.some((p) => p.id === '1001'));

    let sessionId: string | undefined;
    const first = await streamChat(
      {
        baseUrl: state.connection.url,
        token,
        messages: [{ role: 'user', content: 'What is this product?' }],
        signal: new AbortController().signal,
      },
      {
        onDelta: () => undefined,
        onCitations: () => undefined,
        onSessionId: (id) => {
          sessionId = id;
        },
      },
    );
    assert.equal(first.kind, 'done');
    await waitFor(() => s.activity.recent.length >= 1, 5000, 'end event');
    assert.equal(s.activity.recent[0]?.status, 200);
    assert.ok(!bridgeLines.join('\n').includes(token), 'the token never reaches the log');
    if (sessionId) {
      const followUp = await streamChat(
        {
          baseUrl: state.connection.url,
          token,
          messages: [
            { role: 'user', content: 'What is this product?' },
            { role: 'assistant', content: first.text },
            { role: 'user', content: 'Tell me more.' },
          ],
          sessionId,
          signal: new AbortController().signal,
        },
        { onDelta: () => undefined, onCitations: () => undefined, onSessionId: () => undefined },
      );
      assert.equal(followUp.kind, 'done');
    }
  });

  it('a second window proves the real bridge holds the token before attaching', async () => {
    const port = await freePort();
    await startDemo(port);
    const proven = await probeBridge(port, token);
    assert.equal(proven.kind, 'ours');
    assert.equal(proven.kind === 'ours' ? proven.info.url : '', `http://127.0.0.1:${port}/v1`);
    const wrong = await probeBridge(port, generateBridgeToken());
    assert.equal(wrong.kind, 'unproven-bridge');
  });

  it('a follow-up whose conversation is gone upstream is asked again in a new one', async () => {
    const port = await freePort();
    const s = await startDemo(port);
    const state = s.state;
    assert.equal(state.kind, 'running');
    if (state.kind !== 'running') return;
    const request = {
      baseUrl: state.connection.url,
      token,
      messages: [
        { role: 'user' as const, content: 'What is this product?' },
        { role: 'assistant' as const, content: 'Acme Rocket.' },
        { role: 'user' as const, content: 'How do I install it?' },
      ],
      // A conversation upstream does not know (deleted, or of the project served before).
      sessionId: '0f8c1d2e-dead-4bee-8000-000000000000',
      signal: new AbortController().signal,
    };
    const handlers = {
      onDelta: () => undefined,
      onCitations: () => undefined,
      onSessionId: () => undefined,
    };
    const plain = await streamChat(request, handlers);
    assert.equal(plain.kind, 'session-lost', JSON.stringify(plain));
    let lost = 0;
    const recovered = await streamChatRecovering(request, {
      ...handlers,
      onSessionLost: () => {
        lost++;
      },
    });
    assert.equal(recovered.kind, 'done', JSON.stringify(recovered));
    assert.match(recovered.text, /install/i);
    assert.equal(lost, 1);
  });

  it('reports a taken port with the fix', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const outcome = await spawnBridge({
        execPath: process.execPath,
        script: BRIDGE,
        args: ['--port', String(port), '--host', '127.0.0.1', '--demo'],
        secretEnv: { CUSTOMGPT_BRIDGE_TOKEN: token },
        port,
        onStderrLine: () => undefined,
      });
      assert.equal(outcome.kind, 'port-in-use');
    } finally {
      blocker.close();
    }
  });

  it('exits when its parent dies abruptly (stdin lifeline)', async function () {
    if (process.platform === 'win32') this.skip();
    const port = await freePort();
    // A stand-in extension host: spawns the bridge with a stdin pipe, prints its pid, then waits.
    const host = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process');
         const child = spawn(process.execPath, [${JSON.stringify(BRIDGE)}, '--port', '${port}',
           '--demo', '--stdin-lifeline'], { stdio: ['pipe', 'pipe', 'ignore'],
           env: { ...process.env, CUSTOMGPT_BRIDGE_TOKEN: ${JSON.stringify(token)} } });
         child.stdout.once('data', () => console.log(child.pid));
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const bridgePid = await new Promise<number>((resolve) =>
      host.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
    );
    assert.ok(isAlive(bridgePid));
    host.kill('SIGKILL');
    await waitFor(() => !isAlive(bridgePid), 5000, 'bridge exit after the host died');
  });
});
