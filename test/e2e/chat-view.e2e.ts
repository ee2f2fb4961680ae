// VS Code's own Chat view with the extension: the project as a language model in the picker
// (Ask mode), the @customgpt participant (references, follow-ups, /project, /selection,
// feedback), another extension using the models through vscode.lm, and errors in the chat's
// words. Nobody is signed in to GitHub: the profile sets chat.allowAnonymousAccess, as README
// tells users without a Copilot account. Steps run in order in one VS Code window; each ends with
// a screenshot in test-results/e2e-chat-view/.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  askInChat,
  followup,
  openFile,
  referencesOf,
  responseAt,
  responseButton,
  voteUnhelpful,
  waitForResponse,
} from './chatView';
import {
  buildProbeVsix,
  PROBE_COMMAND_TITLE,
  PROBE_RESULT_FILE,
  type ProbeResult,
} from './lmProbe';
import type { Page } from './playwright';
import { eventually } from './processes';
import { E2eSession } from './session';
import { isSend, promptOf, type SimRequest, simRecords } from './simulator';
import {
  answerInputBox,
  openWorkbench,
  pickQuickPickItem,
  quickInputShown,
  runCommand,
  waitForNotification,
  waitForStatus,
  waitForSteadyStatus,
} from './workbench';

const DOCS = 'Acme Rocket Docs';
const SUPPORT = 'Acme Rocket Support';
const SITE = 'https://docs.acme-rocket.example';
const INSTALL = 'How do I install Acme Rocket?';
const SOURCE_FILE = 'server.js';
const SOURCE = [
  "const rocket = require('@acme/rocket');",
  'const app = rocket();',
  "app.get('/users/:id', (ctx) => ctx.params.id);",
  'app.listen(3000);',
  '',
].join('\n');

interface SimFeedback {
  projectId: number;
  sessionId: string;
  promptId: number;
  reaction: string;
}

const isCreate = (r: SimRequest) => r.method === 'POST' && /\/conversations$/.test(r.path);
const sessionOf = (r: SimRequest) => /\/conversations\/([^/]+)\/messages$/.exec(r.path)?.[1];
const projectOf = (r: SimRequest) => /\/projects\/([^/]+)\//.exec(r.path)?.[1];

describe('VS Code Chat view: CustomGPT projects as models and @customgpt', function () {
  this.timeout(180_000);
  let session: E2eSession;
  let page: Page;
  let sim = '';

  const simGet = <T>(what: string): Promise<T> => simRecords<T>(sim, what);
  const requests = () => simGet<SimRequest[]>('requests');
  const readyText = () => new RegExp(`CustomGPT: ready on :${session.bridgePort}\\b`);

  before(async function () {
    this.timeout(400_000);
    const probeDir = path.join(os.tmpdir(), `customgpt-lm-probe-${process.pid}`);
    const probe = await buildProbeVsix(path.resolve(__dirname, '..', '..'), probeDir);
    session = new E2eSession({
      name: 'e2e-chat-view',
      settings: {
        // The Chat view without a GitHub account (README: "Without a Copilot account").
        'chat.disableAIFeatures': false,
        'chat.allowAnonymousAccess': true,
        // VS Code shows the thumbs up/down on answers only when feedback is on.
        'telemetry.feedback.enabled': true,
      },
      extraVsix: [probe],
    });
    await session.start();
    sim = session.simulator?.url ?? '';
    writeFileSync(path.join(session.paths.workspaceDir, SOURCE_FILE), SOURCE);
    page = await session.newWindow();
  });

  after(async function () {
    this.timeout(60_000);
    await session.stopAndCheckNoBridgeLeft();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session.recordFailure();
  });

  it('sets the key and picks the project; the bridge is ready', async () => {
    await openWorkbench(page, session.workbenchUrl());
    await waitForSteadyStatus(page, /CustomGPT: Set API Key/, 45_000);
    await runCommand(page, 'CustomGPT: Set API Key');
    await answerInputBox(page, session.apiKey);
    await waitForNotification(page, 'API key saved');
    if (!(await quickInputShown(page, 'CustomGPT: Select Project', 3000))) {
      await runCommand(page, 'CustomGPT: Select Project');
    }
    await pickQuickPickItem(page, DOCS);
    await waitForSteadyStatus(page, readyText(), 45_000);
    await session.screenshot(page, 'ready');
  });

  it("the model picker lists the account's projects, the selected one with its model", async () => {
    await runCommand(page, 'Chat: Open Chat (Ask)');
    const picker = page
      .locator('.chat-input-toolbars .action-item')
      .filter({ hasText: new RegExp(`${DOCS}|Auto`) })
      .first();
    await picker.waitFor({ state: 'visible', timeout: 30_000 });
    // Loaded at activation: the project is offered without anyone asking for models first.
    const dropdown = page.locator('.chat-model-picker-dropdown');
    const docsRow = dropdown.locator('.monaco-list-row').filter({ hasText: DOCS }).first();
    await eventually(
      async () => {
        if (!(await dropdown.isVisible())) await picker.click();
        return (await docsRow.isVisible()) ? true : undefined;
      },
      30_000,
      () => `the model picker never listed ${DOCS}`,
    );
    assert.match((await docsRow.getAttribute('aria-label')) ?? '', /Acme Rocket Docs, gpt-4-o/);
    // The other projects sit under "Other Models".
    const other = dropdown.locator('.monaco-list-row').filter({ hasText: 'Other Models' }).first();
    if (await other.isVisible()) await other.click();
    await dropdown
      .locator('.monaco-list-row')
      .filter({ hasText: SUPPORT })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    await session.screenshot(page, 'model-picker');
    await docsRow.click();
    await page.keyboard.press('Escape');
    await picker.filter({ hasText: DOCS }).waitFor({ state: 'visible', timeout: 10_000 });
  });

  let firstSession = '';

  it("Ask mode: the project's answer streams in, with its Sources", async () => {
    const before = (await requests()).length;
    const index = await askInChat(page, INSTALL);
    let midShot = false;
    const answer = await waitForResponse(
      page,
      index,
      /Sources[\s\S]*Installing Acme Rocket/,
      60_000,
      async (lengths) => {
        if (lengths.length === 2 && !midShot) {
          midShot = true;
          await session.screenshot(page, 'ask-streaming');
        }
      },
    );
    assert.match(answer.text, /npm install @acme\/rocket/);
    assert.ok(answer.lengths.length >= 2, `not streamed: lengths ${answer.lengths.join(', ')}`);
    const link = responseAt(page, index).locator(`a[href="${SITE}/getting-started/installation"]`);
    await link.first().waitFor({ state: 'visible', timeout: 10_000 });
    const sends = (await requests()).slice(before).filter(isSend);
    assert.equal(sends.length, 1, 'one upstream question');
    firstSession = sessionOf(sends[0]!) ?? '';
    assert.equal(projectOf(sends[0]!), '1001');
    await session.screenshot(page, 'ask-answer');
  });

  it('Ask mode: a second turn continues the same upstream conversation', async () => {
    const before = (await requests()).length;
    const index = await askInChat(page, 'And how do I deploy it to production?');
    const answer = await waitForResponse(page, index, /Sources[\s\S]*Deploying/, 60_000);
    assert.match(answer.text, /Deploy/);
    const upstream = (await requests()).slice(before);
    assert.equal(upstream.filter(isCreate).length, 0, 'no new conversation was opened');
    const sends = upstream.filter(isSend);
    assert.equal(sends.length, 1);
    assert.equal(sessionOf(sends[0]!), firstSession, 'the same CustomGPT.ai session continues');
    // Only the new question travels: the context stays on CustomGPT.ai's side.
    assert.equal(promptOf(sends[0]!), 'And how do I deploy it to production?');
    await session.screenshot(page, 'ask-second-turn');
  });

  let participantIndex = 0;

  it('@customgpt answers with "Used N references" listing the citation URLs', async () => {
    // The same chat: without a Copilot account the participant needs the project's model
    // selected (Ask mode); a new chat would start in Agent mode, where it is not offered.
    participantIndex = await askInChat(
      page,
      '@customgpt How do I install Acme Rocket and deploy it to production?',
    );
    await waitForResponse(page, participantIndex, /Sources[\s\S]*Deploying/, 60_000);
    const refs = await referencesOf(responseAt(page, participantIndex));
    assert.equal(refs.label, 'Used 2 references');
    const joined = refs.items.join('\n');
    assert.match(joined, /docs\.acme-rocket\.example\/getting-started\/installation/);
    assert.match(joined, /docs\.acme-rocket\.example\/.*deploy/i);
    await session.screenshot(page, 'participant-references');
  });

  it("a follow-up link asks the project's example question in the same conversation", async () => {
    const before = (await requests()).length;
    const link = followup(page, 'How do routes work?');
    await link.waitFor({ state: 'visible', timeout: 15_000 });
    await session.screenshot(page, 'participant-followup');
    await link.click();
    participantIndex += 2;
    const answer = await waitForResponse(page, participantIndex, /Sources[\s\S]*Routing/, 60_000);
    assert.match(answer.text, /app\.get\('\/users\/:id', handler\)/);
    const upstream = (await requests()).slice(before);
    assert.equal(upstream.filter(isCreate).length, 0, 'the thread keeps its conversation');
    assert.deepEqual(upstream.filter(isSend).map(promptOf), ['How do routes work?']);
    await session.screenshot(page, 'participant-followup-answer');
  });

  it('/project switches this chat to another project', async () => {
    participantIndex = await askInChat(page, `@customgpt /project ${SUPPORT}`);
    await waitForResponse(
      page,
      participantIndex,
      /Now answering from Acme Rocket Support \(#1002\)/,
      30_000,
    );
    const before = (await requests()).length;
    participantIndex = await askInChat(page, `@customgpt ${INSTALL}`);
    await waitForResponse(page, participantIndex, /Sources[\s\S]*Installing Acme Rocket/, 60_000);
    const sends = (await requests()).slice(before).filter(isSend);
    assert.deepEqual(sends.map(projectOf), ['1002'], 'the question went to project 1002');
    await session.screenshot(page, 'participant-project-switch');
  });

  it('/selection asks about the selected lines and shows the file as a reference', async () => {
    await openFile(page, SOURCE_FILE);
    await page.locator('.part.editor .view-line').first().click();
    await page.keyboard.press('Control+A');
    // The status bar says what is selected: the whole file, lines 1-5.
    await page
      .locator('#workbench\\.parts\\.statusbar')
      .getByText(/selected/)
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    const before = (await requests()).length;
    participantIndex = await askInChat(page, '@customgpt /selection What does this route do?');
    await waitForResponse(page, participantIndex, /Sources[\s\S]*Routing/, 60_000);
    const refs = await referencesOf(responseAt(page, participantIndex));
    assert.match(refs.items.join('\n'), new RegExp(SOURCE_FILE));
    const sends = (await requests()).slice(before).filter(isSend);
    assert.equal(sends.length, 1);
    const prompt = promptOf(sends[0]!);
    assert.match(prompt, /^What does this route do\?/);
    assert.match(prompt, new RegExp(`Selected from ${SOURCE_FILE}:`));
    assert.ok(prompt.includes("app.get('/users/:id'"), 'the selected code went to the project');
    // Shown as a reference, not pasted into the chat.
    // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees, as laid out
    assert.doesNotMatch(await responseAt(page, participantIndex).innerText(), /ctx\.params\.id\);/);
    await session.screenshot(page, 'participant-selection');
  });

  it("thumbs down reaches CustomGPT.ai's feedback for that answer", async () => {
    const sends = (await requests()).filter(isSend);
    const last = sends.at(-1)!;
    const sessionId = sessionOf(last)!;
    const projectId = projectOf(last)!;
    const messages = await fetch(
      `${sim}/api/v1/projects/${projectId}/conversations/${sessionId}/messages`,
      { headers: { authorization: `Bearer ${session.apiKey}` } },
    ).then(
      (r) =>
        r.json() as Promise<{ data: { messages: { data: { id: number; user_query: string }[] } } }>,
    );
    // The answer voted on is the /selection one: find its message by the question it answered.
    const promptId = messages.data.messages.data.find((m) =>
      m.user_query.startsWith('What does this route do?'),
    )?.id;
    assert.ok(promptId, 'the simulator stored the answer');
    await voteUnhelpful(responseAt(page, participantIndex));
    const record = await eventually(
      async () => (await simGet<SimFeedback[]>('feedback')).find((f) => f.promptId === promptId),
      20_000,
      () => `no feedback for prompt ${promptId} reached the simulator`,
    );
    assert.deepEqual(
      { ...record, at: undefined },
      { projectId: Number(projectId), sessionId, promptId, reaction: 'disliked', at: undefined },
    );
    await session.screenshot(page, 'participant-thumbs-down');
  });

  it('another extension lists and uses the models with vscode.lm.selectChatModels', async () => {
    await runCommand(page, PROBE_COMMAND_TITLE);
    // VS Code may ask once whether the probe may use another extension's models.
    const allow = page
      .locator('.monaco-dialog-box .monaco-button')
      .filter({ hasText: /^Allow/ })
      .first();
    const done = page
      .locator('.notifications-toasts .notification-list-item-message')
      .filter({ hasText: 'Probe:' })
      .first();
    await eventually(
      async () => {
        if (await allow.isVisible().catch(() => false)) {
          await session.screenshot(page, 'lm-probe-consent');
          await allow.click();
        }
        return (await done.isVisible()) ? true : undefined;
      },
      60_000,
      () => 'the probe extension never reported',
    );
    const result = JSON.parse(
      readFileSync(path.join(session.paths.workspaceDir, PROBE_RESULT_FILE), 'utf8'),
    ) as ProbeResult;
    assert.equal(result.error, undefined, result.error);
    const ids = result.models.map((m) => m.id);
    assert.ok(ids.includes('customgpt-1001') && ids.includes('customgpt-1002'), ids.join(', '));
    assert.ok(result.models.every((m) => m.vendor === 'customgpt'));
    assert.match(result.answer, /npm install @acme\/rocket/);
    assert.ok(result.tokens > 0 && result.tokens < 50, `tokens: ${result.tokens}`);
    await session.screenshot(page, 'lm-probe');
  });

  it('a rejected key: the chat says so, with a Set API Key button', async () => {
    // Set API Key refuses a key CustomGPT.ai rejects before storing it (issue 9), so the key is
    // revoked upstream instead, after it was accepted: the next message is answered with 401.
    const fault = await fetch(`${sim}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'status',
        status: 401,
        match: '/messages',
        body: JSON.stringify({
          status: 'error',
          data: { code: 401, message: 'API Token is either missing or invalid' },
        }),
      }),
    });
    assert.equal(fault.status, 201);
    const index = await askInChat(page, `@customgpt ${INSTALL}`);
    await waitForResponse(page, index, /CustomGPT\.ai rejected your API key/, 60_000);
    const button = responseButton(responseAt(page, index), 'Set API Key');
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    await session.screenshot(page, 'error-rejected-key');
    // The button opens the key prompt; the right key puts things back.
    await button.click();
    await answerInputBox(page, session.apiKey);
    await waitForNotification(page, 'API key saved');
    await waitForSteadyStatus(page, readyText(), 45_000);
  });

  it('a stopped bridge: the chat says so, and its Start Bridge button starts it', async () => {
    await runCommand(page, 'CustomGPT: Stop Bridge');
    await waitForStatus(page, /CustomGPT: stopped/, 30_000);
    const index = await askInChat(page, `@customgpt ${INSTALL}`);
    await waitForResponse(page, index, /The CustomGPT bridge is stopped/, 30_000);
    const button = responseButton(responseAt(page, index), 'Start Bridge');
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await responseButton(responseAt(page, index), 'Show Log').count(), 1);
    await session.screenshot(page, 'error-bridge-stopped');
    await button.click();
    await waitForSteadyStatus(page, readyText(), 45_000);
    await session.screenshot(page, 'bridge-started-from-chat');
  });
});
