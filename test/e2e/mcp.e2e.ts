// The bridge's MCP server in a real VS Code (code-server): "MCP: List Servers" lists
// "CustomGPT.ai", it starts and discovers the three tools; then, in Agent mode, a test-only
// tool-calling model (toolAgent.ts, built here, never shipped) calls ask_project, the
// confirmation card is accepted, and the project's answer comes back into the chat. Proof is
// read on both sides: the chat text and the simulator's request log. Nobody is signed in to
// GitHub: the profile sets chat.allowAnonymousAccess, as README tells users without Copilot.
// Screenshots in test-results/e2e-mcp/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from './playwright';
import { bridgePids, eventually } from './processes';
import { E2eSession } from './session';
import { isSend, promptOf, type SimRequest, simRecords } from './simulator';
import {
  AGENT_LOG_FILE,
  AGENT_MODEL_NAME,
  type AgentLog,
  ANSWER_PREFIX,
  buildToolAgentVsix,
} from './toolAgent';
import {
  answerInputBox,
  openWorkbench,
  pickQuickPickItem,
  quickInputShown,
  runCommand,
  waitForNotification,
  waitForSteadyStatus,
} from './workbench';

const DOCS = 'Acme Rocket Docs';
const QUESTION = 'How do I install Acme Rocket?';
const SECOND_QUESTION = 'How do routes work?';
const SERVER = 'CustomGPT.ai';
const QUICK_ROW = '.quick-input-widget .quick-input-list .monaco-list-row';
const CHAT_INPUT = '.interactive-input-part .interactive-input-editor';
const RESPONSE = '.interactive-item-container.interactive-response';

describe('MCP: the project as a tool for VS Code agent mode', function () {
  this.timeout(180_000);
  let session: E2eSession;
  let page: Page;
  let sim = '';

  const requests = () => simRecords<SimRequest[]>(sim, 'requests');
  const agentLog = (): AgentLog => {
    try {
      return JSON.parse(
        readFileSync(path.join(session.paths.workspaceDir, AGENT_LOG_FILE), 'utf8'),
      ) as AgentLog;
    } catch {
      return { turns: [] };
    }
  };

  before(async function () {
    this.timeout(400_000);
    const agentDir = path.join(os.tmpdir(), `customgpt-e2e-tool-agent-${process.pid}`);
    const agent = await buildToolAgentVsix(path.resolve(__dirname, '..', '..'), agentDir);
    session = new E2eSession({
      name: 'e2e-mcp',
      settings: {
        'chat.disableAIFeatures': false,
        'chat.allowAnonymousAccess': true,
      },
      extraVsix: [agent],
    });
    await session.start();
    sim = session.simulator?.url ?? '';
    page = await session.newWindow();
  });

  after(async function () {
    this.timeout(60_000);
    await session.stopAndCheckNoBridgeLeft();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await session.recordFailure(`, agent ${JSON.stringify(agentLog())}`);
    }
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
    await waitForSteadyStatus(
      page,
      new RegExp(`CustomGPT: ready on :${session.bridgePort}\\b`),
      45_000,
    );
    await session.screenshot(page, 'ready');
  });

  it('"MCP: List Servers" lists CustomGPT.ai; started, it runs and discovers the three tools', async () => {
    await runCommand(page, 'MCP: List Servers');
    const row = page.locator(QUICK_ROW).filter({ hasText: SERVER }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await session.screenshot(page, 'mcp-list-servers');
    await row.click();
    // The server's actions: start it (a server already started by VS Code offers Restart).
    const action = page.locator(QUICK_ROW).filter({ hasText: /Start Server|Restart Server/ });
    await action.first().waitFor({ state: 'visible', timeout: 15_000 });
    await action.first().click();
    await trustIfAsked(page);
    // Its output channel says it is running and how many tools it found.
    await eventually(
      async () => {
        await runCommand(page, 'MCP: List Servers');
        const listed = page.locator(QUICK_ROW).filter({ hasText: SERVER }).first();
        await listed.waitFor({ state: 'visible', timeout: 10_000 });
        // biome-ignore lint/performance/useDomNodeTextContent: the row as a person reads it
        const text = (await listed.innerText()).replace(/\s+/g, ' ');
        if (/Running/i.test(text)) return text;
        await page.keyboard.press('Escape');
        return undefined;
      },
      60_000,
      () => 'the CustomGPT.ai server never showed as Running under "MCP: List Servers"',
    );
    await session.screenshot(page, 'mcp-server-running');
    await page.locator(QUICK_ROW).filter({ hasText: SERVER }).first().click();
    const output = page
      .locator(QUICK_ROW)
      .filter({ hasText: /Show Output/ })
      .first();
    await output.waitFor({ state: 'visible', timeout: 15_000 });
    await output.click();
    const lines = page.locator('.output-view .view-lines, .panel .view-lines').first();
    const log = await eventually(
      async () => {
        // biome-ignore lint/performance/useDomNodeTextContent: the output as shown
        const text = (await lines.innerText({ timeout: 1000 }).catch(() => '')).replace(
          /\s+/g,
          ' ',
        );
        return /Discovered 3 tools/.test(text) ? text : undefined;
      },
      30_000,
      () => 'the "MCP: CustomGPT.ai" output never said "Discovered 3 tools"',
    );
    assert.match(log, /Connection state: Running/);
    await session.screenshot(page, 'mcp-output-discovered-tools');
  });

  it('Agent mode: a tool-calling model calls ask_project, the call is allowed, the answer comes back', async () => {
    const before = (await requests()).length;
    await runCommand(page, 'Chat: Open Chat (Agent)');
    await pickModel(page, AGENT_MODEL_NAME);
    const index = await page.locator(RESPONSE).count();
    await askInChat(page, QUESTION);
    // VS Code asks before running an MCP tool: accept for this session.
    const allow = allowButton(page);
    await allow.waitFor({ state: 'visible', timeout: 60_000 });
    await session.screenshot(page, 'agent-confirmation');
    await allow.click();
    const response = page.locator(RESPONSE).nth(index);
    const text = await eventually(
      async () => {
        // biome-ignore lint/performance/useDomNodeTextContent: the answer as a person reads it
        const now = (await response.innerText({ timeout: 1000 }).catch(() => '')).trim();
        return new RegExp(`${ANSWER_PREFIX}[\\s\\S]*npm install @acme/rocket`).test(now)
          ? now
          : undefined;
      },
      90_000,
      () => `the agent's answer never arrived; agent log ${JSON.stringify(agentLog())}`,
    );
    assert.match(text, /Installing Acme Rocket/, 'the sources came back too');
    await session.screenshot(page, 'agent-answer');
    const log = agentLog();
    assert.ok(
      log.turns.some(
        (t) => t.called === 'mcp_customgpt_ai_ask_project' || /ask_project$/.test(t.called ?? ''),
      ),
      `the model called ask_project: ${JSON.stringify(log)}`,
    );
    // The simulator got exactly the question, through the bridge.
    const sends = (await requests()).slice(before).filter(isSend);
    assert.equal(sends.length, 1, `one upstream question: ${JSON.stringify(sends)}`);
    assert.equal(promptOf(sends[0]!), QUESTION);
  });

  it('after "CustomGPT: Restart Bridge" (a new bridge process), agent mode still reaches the project', async () => {
    const [oldPid] = bridgePids(session.paths.extensionsDir);
    assert.ok(oldPid, 'a bridge process is running');
    await runCommand(page, 'CustomGPT: Restart Bridge');
    await eventually(
      () => {
        const pids = bridgePids(session.paths.extensionsDir);
        return pids.length === 1 && pids[0] !== oldPid ? true : undefined;
      },
      45_000,
      () => `the bridge was not replaced: ${bridgePids(session.paths.extensionsDir).join(', ')}`,
    );
    await waitForSteadyStatus(
      page,
      new RegExp(`CustomGPT: ready on :${session.bridgePort}\\b`),
      45_000,
    );
    const before = (await requests()).length;
    await askInChat(page, SECOND_QUESTION);
    // The chat list is virtualised (earlier answers leave the DOM): read the newest response.
    const response = page.locator(RESPONSE).last();
    const text = await eventually(
      async () => {
        // biome-ignore lint/performance/useDomNodeTextContent: the answer as a person reads it
        const now = (await response.innerText({ timeout: 1000 }).catch(() => '')).trim();
        // The session-wide approval normally covers this call; accept again if VS Code asks.
        if (
          await allowButton(page)
            .isVisible()
            .catch(() => false)
        )
          await allowButton(page).click();
        return new RegExp(`${ANSWER_PREFIX}[\\s\\S]*app\\.get`).test(now) ? now : undefined;
      },
      90_000,
      () => `no answer after the restart; agent log ${JSON.stringify(agentLog())}`,
    );
    assert.match(text, /Routing/);
    await session.screenshot(page, 'agent-answer-after-restart');
    const sends = (await requests()).slice(before).filter(isSend);
    assert.deepEqual(sends.map(promptOf), [SECOND_QUESTION], 'the new bridge asked the project');
  });

  /** The confirmation card's "Allow…" button (VS Code 1.139 reviews an open-world tool's result). */
  function allowButton(p: Page): Locator {
    return p
      .locator(
        '.chat-confirmation-widget .monaco-button, .chat-confirmation-widget2 .monaco-button',
      )
      .filter({ hasText: /^Allow/ })
      .first();
  }

  /** VS Code may ask once whether to trust an MCP server: say yes. */
  async function trustIfAsked(p: Page): Promise<void> {
    const trust = p
      .locator('.monaco-dialog-box .monaco-button, .quick-input-widget .monaco-button')
      .filter({ hasText: /^Trust/ })
      .first();
    if (await trust.isVisible().catch(() => false)) await trust.click();
    else {
      await trust
        .waitFor({ state: 'visible', timeout: 3000 })
        .then(() => trust.click())
        .catch(() => undefined);
    }
  }

  /** Opens the chat's model picker and chooses `name` (models load lazily, so it may take a moment). */
  async function pickModel(p: Page, name: string): Promise<void> {
    const items = p.locator('.chat-input-toolbars .action-item');
    const chosen = items.filter({ hasText: name }).first();
    const dropdown = p.locator('.chat-model-picker-dropdown');
    const row: Locator = dropdown.locator('.monaco-list-row').filter({ hasText: name }).first();
    await eventually(
      async () => {
        if (await chosen.isVisible().catch(() => false)) return true;
        if (await row.isVisible().catch(() => false)) await row.click();
        else if (!(await dropdown.isVisible().catch(() => false))) {
          // The picker shows the current model's name ("Auto" until one is chosen).
          await items
            .filter({ hasText: /Auto/ })
            .first()
            .click({ timeout: 2000 })
            .catch(() => undefined);
        }
        return undefined;
      },
      45_000,
      () => `the model picker never offered ${name}`,
    );
    await p.keyboard.press('Escape');
  }

  async function askInChat(p: Page, question: string): Promise<void> {
    const input = p.locator(CHAT_INPUT).first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.click();
    await p.keyboard.press('Control+A');
    await p.keyboard.press('Backspace');
    await p.keyboard.type(question, { delay: 5 });
    await p.waitForTimeout(300);
    await p.keyboard.press('Enter');
  }
});
