// A squatter on the bridge's port: a local program that answers /bridge/health exactly like the
// bridge, then, if asked, reports a victim pid and a foreign url in /bridge/info. The window must
// not reveal the token to it, not attach to it, not signal the victim, and send no question to
// the foreign url (extension/bridge/bridgeProbe.ts, bridgePid.ts, supervisor.ts).
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BridgeSupervisor } from '../../../extension/bridge/supervisor';
import { streamChat } from '../../../extension/chat/chatClient';
import { LifeScopes } from '../../../extension/core/scope';
import { FAKE_BRIDGE, freePort, isAlive, RecordingLogger } from './helpers';

const TOKEN = 'the-real-token-0123456789abcdefghijklmnop';

interface Seen {
  method: string;
  url: string;
  headers: string;
}

function recordingServer(answer: (req: IncomingMessage) => { status: number; body: unknown }) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: JSON.stringify(req.headers),
    });
    req.resume();
    const { status, body } = answer(req);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.on('upgrade', (req, socket) => {
    seen.push({ method: 'UPGRADE', url: req.url ?? '', headers: JSON.stringify(req.headers) });
    socket.end('HTTP/1.1 101 Switching Protocols\r\n\r\n');
  });
  return { server, seen };
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): void {
  server.closeAllConnections();
  server.close();
}

describe('a squatter on the bridge port', function () {
  this.timeout(20000);
  let victim: ChildProcess;
  let supervisor: BridgeSupervisor | undefined;
  const servers: Server[] = [];

  beforeEach(() => {
    victim = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  });
  afterEach(async () => {
    await supervisor?.dispose();
    supervisor = undefined;
    victim.kill('SIGKILL');
    for (const server of servers.splice(0)) close(server);
  });

  it('never gets the token, the window, a signal or a question', async () => {
    const foreign = recordingServer(() => ({ status: 200, body: {} }));
    servers.push(foreign.server);
    const foreignUrl = `http://127.0.0.1:${await listen(foreign.server)}/v1`;
    const port = await freePort();
    const squatter = recordingServer((req) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/bridge/health') {
        return { status: 200, body: { ok: true, service: 'customgpt-bridge', version: '0.1.0' } };
      }
      if (path === '/bridge/identity') {
        return { status: 200, body: { service: 'customgpt-bridge', port, proof: 'forged' } };
      }
      // Whatever it is asked with: claims to be the bridge, names a victim and a foreign url.
      return {
        status: 200,
        body: {
          service: 'customgpt-bridge',
          version: '0.1.0',
          pid: victim.pid,
          port,
          url: foreignUrl,
          mode: 'native',
          project: '1',
          model: null,
          simulated: false,
          activeStreams: 0,
        },
      };
    });
    servers.push(squatter.server);
    await listen(squatter.server, port);

    const log = new RecordingLogger();
    supervisor = new BridgeSupervisor({
      plan: async () => ({
        port,
        token: TOKEN,
        args: ['--port', String(port), '--host', '127.0.0.1', '--stdin-lifeline'],
        secretEnv: { CUSTOMGPT_BRIDGE_TOKEN: TOKEN, CUSTOMGPT_API_KEY: 'key-abcdef' },
        canSpawn: true,
      }),
      execPath: process.execPath,
      bridgeScript: FAKE_BRIDGE,
      log,
      bridgeLog: () => undefined,
      scopes: new LifeScopes(),
      timing: { portRaceDelayMs: 50, stopGraceMs: 1000 },
    });
    await supervisor.start();

    // Not attached: the window runs its own bridge on the next port.
    const state = supervisor.state;
    assert.equal(state.kind, 'running', JSON.stringify(state));
    if (state.kind !== 'running') return;
    assert.equal(state.connection.owner, true, 'attached to the squatter');
    // The next free port: port + 1 unless another program on this shared machine holds it.
    const own = state.connection.port;
    assert.ok(own > port && own < port + 10, String(own));
    assert.equal(state.connection.url, `http://127.0.0.1:${own}/v1`);

    // Restart, and a question through the URL the window hands to the chat panel.
    await supervisor.restart();
    const credentials = supervisor.credentials;
    assert.ok(credentials);
    // The restarted bridge scans again from the configured port: it may land on a port below
    // `own` that another program held a moment ago (seen once in `npm test`), never the
    // squatter's.
    const again = Number(/^http:\/\/127\.0\.0\.1:(\d+)\/v1$/.exec(credentials.url)?.[1]);
    assert.ok(again > port && again < port + 10, credentials.url);
    await streamChat(
      {
        baseUrl: credentials.url,
        token: credentials.token,
        messages: [{ role: 'user', content: 'a question for the bridge only' }],
        signal: new AbortController().signal,
      },
      { onDelta: () => undefined, onCitations: () => undefined, onSessionId: () => undefined },
    );

    const leaked = squatter.seen.filter((r) => r.headers.includes(TOKEN) || r.url.includes(TOKEN));
    assert.deepEqual(leaked, [], 'the token reached the squatter');
    assert.ok(
      squatter.seen.every((r) => !r.url.startsWith('/bridge/info') && r.method !== 'UPGRADE'),
      `the squatter was treated as a bridge: ${JSON.stringify(squatter.seen.map((r) => r.url))}`,
    );
    assert.deepEqual(foreign.seen, [], 'a request went to the url the squatter reported');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(victim.pid && isAlive(victim.pid), 'the victim pid was signalled');
  });
});
