// The extension in a real VS Code (code-server), driven as a person would through the command
// palette, asserting on what they see: the status bar, the chat panel, the clipboard. Steps run
// in order and share one VS Code; each ends with a screenshot in test-results/e2e/.
// Run through `npm run test:e2e` (scripts/e2e.sh prepares code-server, Chromium and the VSIX).
import assert from 'node:assert/strict';
import { filesContaining, reportActivation } from './activation';
import type { Page } from './playwright';
import { bridgePids, eventually, sleep } from './processes';
import { askOnce, streamAnswer } from './sdk';
import { E2eSession } from './session';
import {
  answerInputBox,
  chatWebview,
  openWorkbench,
  pickQuickPickItem,
  quickInputShown,
  readClipboard,
  runCommand,
  waitForNotification,
  waitForStatus,
  waitForSteadyStatus,
  writeClipboard,
} from './workbench';

const PROJECT_NAME = 'Acme Rocket Docs';
const DOCS_SITE = 'https://docs.acme-rocket.example';
/** Matches two knowledge pages, so the simulator streams a long answer (several seconds). */
const LONG_QUESTION = 'How do I install Acme Rocket and deploy it to production?';
const CHAT_QUESTION = 'How do I install Acme Rocket?';

describe('CustomGPT extension in VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  const session = new E2eSession();
  let window1: Page;
  let baseUrl = '';
  let token = '';
  const readyText = (): RegExp => new RegExp(`CustomGPT: ready on :${session.bridgePort}\\b`);

  before(async function () {
    this.timeout(300_000);
    await session.start();
    window1 = await session.newWindow();
  });

  after(async function () {
    this.timeout(60_000);
    try {
      await reportActivation(session);
    } finally {
      await session.stopAndCheckNoBridgeLeft();
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session.recordFailure();
  });

  it('opens the workbench with the extension installed', async () => {
    await openWorkbench(window1, session.workbenchUrl());
    // Activation is onStartupFinished: the status bar item appears without any action.
    // Steady: at start-up the extension briefly shows "starting" while it probes the port.
    await waitForSteadyStatus(window1, /CustomGPT: Set API Key/, 45_000);
    await session.screenshot(window1, 'workbench');
  });

  it('sets the API key and picks a project: the status bar says ready on the port', async () => {
    await runCommand(window1, 'CustomGPT: Set API Key');
    await answerInputBox(window1, session.apiKey);
    await waitForNotification(window1, 'API key saved');
    // A key without a project is not "ready": every request would fail with 400.
    await waitForStatus(window1, /CustomGPT: select a project/, 30_000);
    await session.screenshot(window1, 'key-set');
    // The extension may lead on to the project list by itself; otherwise the person runs it.
    if (!(await quickInputShown(window1, 'CustomGPT: Select Project', 1500))) {
      await runCommand(window1, 'CustomGPT: Select Project');
    }
    await pickQuickPickItem(window1, PROJECT_NAME);
    await waitForNotification(window1, `answering from "${PROJECT_NAME}" (#1001)`);
    // Picking a project restarts the bridge: wait for the restarted one, not the first one.
    await waitForSteadyStatus(window1, readyText(), 45_000);
    await session.screenshot(window1, 'ready');
    const pids = bridgePids(session.paths.extensionsDir);
    assert.equal(pids.length, 1, `one bridge process, found ${JSON.stringify(pids)}`);
  });

  it('copies the base URL and token; an SDK stream shows "1 stream", then ready again', async () => {
    // Poison the clipboard first so a command that copies nothing cannot pass with a stale value.
    await writeClipboard(window1, 'nothing copied');
    await runCommand(window1, 'CustomGPT: Copy Base URL');
    baseUrl = await eventually(
      async () => {
        const text = await readClipboard(window1);
        return text.startsWith('http') ? text : undefined;
      },
      10_000,
      () => 'Copy Base URL put no URL on the clipboard',
    );
    assert.equal(baseUrl, `http://127.0.0.1:${session.bridgePort}/v1`);
    await runCommand(window1, 'CustomGPT: Copy Token');
    token = await eventually(
      async () => {
        const text = await readClipboard(window1);
        return text !== baseUrl && text.length >= 16 ? text : undefined;
      },
      10_000,
      () => 'Copy Token put no token on the clipboard',
    );
    await session.screenshot(window1, 'copied');

    let streamedChars = 0;
    const stream = streamAnswer(baseUrl, token, LONG_QUESTION, (soFar) => {
      streamedChars = soFar.length;
    });
    const streaming = await waitForStatus(window1, /CustomGPT: 1 stream\b/, 15_000).catch(
      async (err: unknown) => {
        await stream.catch(() => undefined);
        throw err;
      },
    );
    await session.screenshot(window1, 'one-stream');
    assert.ok(
      streamedChars < 400,
      `the status bar showed "${streaming}" only after ${streamedChars} chars arrived`,
    );
    const result = await stream;
    assert.match(result.text, /npm install @acme\/rocket/);
    assert.ok(result.chunks > 10, `expected a real stream, got ${result.chunks} chunks`);
    await waitForStatus(window1, readyText(), 15_000);
    await session.screenshot(window1, 'stream-done');
  });

  it('Ask... shows the streamed answer and its citation in the CustomGPT Chat panel', async () => {
    await runCommand(window1, 'CustomGPT: Ask...');
    await answerInputBox(window1, CHAT_QUESTION);
    await window1
      .locator('.tab')
      .filter({ hasText: 'CustomGPT Chat' })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
    const webview = chatWebview(window1);
    const answer = webview.locator('.answer').last();
    await answer.waitFor({ state: 'visible', timeout: 20_000 });
    // Watch the answer grow: a streamed answer is seen partially before it is complete.
    const lengths: number[] = [];
    let midStreamShot = false;
    const finalText = await eventually(
      async () => {
        const text = (await answer.textContent().catch(() => '')) ?? '';
        if (lengths.at(-1) !== text.length) lengths.push(text.length);
        if (lengths.length === 2 && !midStreamShot) {
          midStreamShot = true;
          await session.screenshot(window1, 'chat-streaming');
        }
        return /starts the app/.test(text) ? text : undefined;
      },
      30_000,
      () => `the answer never completed; lengths seen: ${lengths.join(', ')}`,
    );
    assert.match(finalText, /npm install @acme\/rocket/);
    assert.ok(
      lengths.filter((n) => n > 0).length >= 2,
      `the answer appeared at once, not streamed (lengths seen: ${lengths.join(', ')})`,
    );
    const citation = webview.locator(`.sources a[href^="${DOCS_SITE}"]`).first();
    await citation.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await citation.getAttribute('href')) ?? '', /\/getting-started\/installation$/);
    await session.screenshot(window1, 'chat-answer');
  });

  it('the chat panel lists each source once', async () => {
    // With the default citations setting ("append") the bridge also writes a Sources list into
    // the answer text; the panel must not show a second copy under its own list.
    const webview = chatWebview(window1);
    const links = webview.locator(`a[href="${DOCS_SITE}/getting-started/installation"]`);
    const titles = webview.locator('text=Sources');
    assert.equal(
      await links.count(),
      1,
      `"Installing Acme Rocket" is linked ${await links.count()} times; "Sources" heading shown ${await titles.count()} times`,
    );
  });

  it('restarts the bridge after it is killed', async () => {
    const [before, ...others] = bridgePids(session.paths.extensionsDir);
    assert.ok(
      before !== undefined && others.length === 0,
      `expected one bridge, found ${[before, ...others]}`,
    );
    process.kill(before, 'SIGKILL');
    const after = await eventually(
      () => bridgePids(session.paths.extensionsDir).find((pid) => pid !== before),
      30_000,
      () => `no new bridge process within 30 s of killing ${before}`,
    );
    await waitForStatus(window1, readyText(), 30_000);
    await session.screenshot(window1, 'restarted');
    assert.notEqual(after, before);
    assert.match(await askOnce(baseUrl, token, CHAT_QUESTION), /npm install @acme\/rocket/);
  });

  it('a second window takes the bridge over when the first closes', async () => {
    const [ownedByWindow1] = bridgePids(session.paths.extensionsDir);
    const window2 = await session.newWindow();
    await openWorkbench(window2, session.workbenchUrl());
    // Window 2 attaches to window 1's bridge: same port, shared key and token.
    await waitForStatus(window2, readyText(), 45_000);
    await session.screenshot(window2, 'second-window');
    assert.deepEqual(
      bridgePids(session.paths.extensionsDir),
      [ownedByWindow1],
      'window 2 attached, spawned nothing',
    );

    // runBeforeUnload lets the workbench shut down as when a person closes the tab.
    await window1.close({ runBeforeUnload: true });
    const takenOver = await eventually(
      () => bridgePids(session.paths.extensionsDir).find((pid) => pid !== ownedByWindow1),
      60_000,
      () =>
        `window 2 started no bridge after window 1 closed (pids: ${bridgePids(session.paths.extensionsDir)})`,
    );
    await waitForStatus(window2, readyText(), 30_000);
    await sleep(500);
    await session.screenshot(window2, 'taken-over');
    assert.notEqual(takenOver, ownedByWindow1);

    // The person's copied settings still work: same port, same token.
    await writeClipboard(window2, 'nothing copied');
    await runCommand(window2, 'CustomGPT: Copy Token');
    const token2 = await eventually(
      async () => {
        const text = await readClipboard(window2);
        return text !== 'nothing copied' ? text : undefined;
      },
      10_000,
      () => 'Copy Token in window 2 put nothing on the clipboard',
    );
    assert.equal(token2, token, 'the token is shared across windows');
    assert.match(await askOnce(baseUrl, token2, CHAT_QUESTION), /npm install @acme\/rocket/);
  });

  it('never writes the API key or the bridge token to its logs', () => {
    const leaks = filesContaining(session.paths.userDataDir, [session.apiKey, token]);
    assert.deepEqual(leaks, [], 'secrets found in log files');
  });
});
