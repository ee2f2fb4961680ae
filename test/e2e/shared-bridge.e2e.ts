// One bridge shared by two VS Code windows (two browser tabs of one code-server), on a machine
// where the configured port is already held by a squatter: a local program that answers
// /bridge/health exactly like the bridge and, if asked, names a victim pid and a foreign url.
// Asserts what a person sees (status bar, toasts) and what the squatter and the OS see:
//   - busy port: the demo starts on the next port, "ready on :<port+1>", no error toast;
//   - trust: the squatter never receives the token nor is treated as a bridge; the victim lives;
//   - Stop in the owning window stops the bridge for both windows (nobody takes over) until
//     Start in either; Restart from the attached window is no crash for the owner.
// Screenshots in test-results/e2e-shared-bridge/.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { filesContaining } from './activation';
import type { Page } from './playwright';
import { bridgePids, eventually, sleep } from './processes';
import { E2eSession } from './session';
import {
  notificationTexts,
  openWorkbench,
  readClipboard,
  runCommand,
  statusText,
  waitForStatus,
  waitForSteadyStatus,
  writeClipboard,
} from './workbench';

interface SeenRequest {
  url: string;
  authorization: boolean;
}

/** The squatter: health like the bridge, a forged identity proof, a victim pid in "info". */
function startSquatter(port: number, victimPid: number, seen: SeenRequest[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization !== undefined });
    req.resume();
    const path = (req.url ?? '').split('?')[0];
    const body =
      path === '/bridge/health'
        ? { ok: true, service: 'customgpt-bridge', version: '0.1.0' }
        : path === '/bridge/identity'
          ? { service: 'customgpt-bridge', port, proof: 'forged' }
          : {
              service: 'customgpt-bridge',
              version: '0.1.0',
              pid: victimPid,
              port,
              url: 'http://127.0.0.1:9/v1',
              mode: 'native',
              project: '1001',
              model: null,
              simulated: false,
              activeStreams: 0,
            };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.on('upgrade', (req, socket) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization !== undefined });
    socket.destroy();
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function errorToasts(page: Page): Promise<string[]> {
  const texts = await notificationTexts(page).catch(() => []);
  return texts.filter((t) => /error|in use|port \d+|failed/i.test(t));
}

describe('one bridge for two windows, with the configured port squatted', function () {
  this.timeout(180_000);
  const session = new E2eSession({ name: 'e2e-shared-bridge' });
  const seen: SeenRequest[] = [];
  let squatter: Server | undefined;
  let victim: ChildProcess | undefined;
  let window1: Page;
  let window2: Page;
  let fallback = 0;
  const ready = (): RegExp => new RegExp(`CustomGPT: ready on :${fallback}\\b`);
  const pids = () => bridgePids(session.paths.extensionsDir);

  before(async function () {
    this.timeout(300_000);
    await session.start();
    victim = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    // Before any window opens (the extension host starts with the first one).
    squatter = await startSquatter(session.bridgePort, victim.pid ?? 0, seen);
    window1 = await session.newWindow();
  });

  after(async function () {
    this.timeout(60_000);
    try {
      await session.stopAndCheckNoBridgeLeft();
    } finally {
      squatter?.closeAllConnections();
      squatter?.close();
      victim?.kill('SIGKILL');
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session.recordFailure();
  });

  it('a busy port is no error: the demo runs on the next port', async () => {
    await openWorkbench(window1, session.workbenchUrl());
    // No key yet: the first-run choice, not an error about the port.
    await waitForSteadyStatus(window1, /CustomGPT: Set API Key/, 45_000);
    assert.deepEqual(await errorToasts(window1), [], 'an error toast about the port');
    await runCommand(window1, 'CustomGPT: Try the Demo');
    // The next free port above the squatted one: usually +1, but the OS may have given a port of
    // the range to another process of this test (code-server), so read it from the status.
    const status = await waitForSteadyStatus(window1, /CustomGPT: ready on :(\d+)\b/, 45_000);
    fallback = Number(/ready on :(\d+)/.exec(status)?.[1]);
    assert.ok(
      fallback > session.bridgePort && fallback <= session.bridgePort + 9,
      `fallback port ${fallback} in the range above ${session.bridgePort}`,
    );
    assert.match(await statusText(window1), /\(demo\)/);
    await session.screenshot(window1, 'busy-port-fallback');
    assert.deepEqual(await errorToasts(window1), [], 'an error toast about the port');
    assert.equal(pids().length, 1);

    await writeClipboard(window1, 'nothing copied');
    await runCommand(window1, 'CustomGPT: Copy Base URL');
    const url = await eventually(
      async () => {
        const text = await readClipboard(window1);
        return text.startsWith('http') ? text : undefined;
      },
      10_000,
      () => 'Copy Base URL put no URL on the clipboard',
    );
    assert.equal(url, `http://127.0.0.1:${fallback}/v1`);
  });

  it('a second window attaches to the bridge on the fallback port', async () => {
    const [owned] = pids();
    window2 = await session.newWindow();
    await openWorkbench(window2, session.workbenchUrl());
    await waitForSteadyStatus(window2, ready(), 45_000);
    await session.screenshot(window2, 'second-window-attached');
    assert.deepEqual(pids(), [owned], 'window 2 attached, spawned nothing');
  });

  it('the squatter never got the token, nor a signal for its victim', () => {
    assert.ok(seen.length > 0, 'the extension never probed the configured port');
    assert.deepEqual(
      seen.filter((r) => r.authorization),
      [],
      'a request with the token reached the squatter',
    );
    assert.deepEqual(
      seen.filter((r) => !/^\/bridge\/(health|identity)\b/.test(r.url)),
      [],
      'the squatter was asked more than health and identity',
    );
    assert.ok(victim?.pid && victim.exitCode === null && !victim.killed, 'the victim was killed');
  });

  it('Stop in the owning window stops the bridge for both windows', async () => {
    await runCommand(window1, 'CustomGPT: Stop Bridge');
    await waitForStatus(window1, /CustomGPT: stopped/, 20_000);
    await waitForStatus(window2, /CustomGPT: stopped/, 20_000);
    // Longer than a takeover takes (under 1.5 s): nobody may have started a new bridge.
    await sleep(4000);
    assert.match(await statusText(window2), /CustomGPT: stopped/);
    assert.deepEqual(pids(), [], 'a window started a new bridge after Stop');
    await session.screenshot(window1, 'stopped-window1');
    await session.screenshot(window2, 'stopped-window2');
  });

  it('Start in the other window brings it back for both', async () => {
    await runCommand(window2, 'CustomGPT: Start Bridge');
    await waitForSteadyStatus(window2, ready(), 45_000);
    await waitForSteadyStatus(window1, ready(), 45_000);
    assert.equal(pids().length, 1);
    await session.screenshot(window1, 'started-again-window1');
  });

  it('Restart from the attached window is no crash for the owner', async () => {
    const [before] = pids();
    await runCommand(window1, 'CustomGPT: Restart Bridge');
    const after = await eventually(
      () => {
        const now = pids();
        return now.length === 1 && now[0] !== before ? now[0] : undefined;
      },
      45_000,
      () => `no single new bridge after Restart (pids: ${pids()}, before: ${before})`,
    );
    await waitForSteadyStatus(window1, ready(), 45_000);
    await waitForSteadyStatus(window2, ready(), 45_000);
    await session.screenshot(window2, 'restarted-from-attached');
    assert.notEqual(after, before);
    assert.deepEqual(
      filesContaining(session.paths.userDataDir, ['exited unexpectedly']),
      [],
      'a window logged the requested restart as a crash',
    );
  });
});
