// Everything one e2e run starts, in one place so `stop()` can always tear all of it down (also
// after a failure): the simulator, code-server, Chromium. Artifacts (screenshots, logs) go to
// test-results/e2e/; the rest lives in a temp dir that is removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type CodeServer,
  type CodeServerPaths,
  installVsix,
  isolatedPaths,
  startCodeServer,
  writeUserSettings,
} from './codeServer';
import { type BrowserContext, loadPlaywright, type Page } from './playwright';
import { atExit, bridgePids, freePort } from './processes';
import { type Simulator, startSimulator } from './simulator';
import { notificationTexts, statusText } from './workbench';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through scripts/e2e.sh`);
  return value;
}

export interface SessionOptions {
  /**
   * test-results/<name>/ for this suite's screenshots and logs (default "e2e"); a session empties
   * its folder when it starts.
   */
  name?: string;
  /** Screenshots are numbered NN-name.png unless this is false. */
  numbered?: boolean;
  /** User settings on top of the defaults below (a suite that needs the Chat view turns it on). */
  settings?: Record<string, unknown>;
  /** More VSIX files to install before code-server starts (test-only extensions). */
  extraVsix?: string[];
}

export class E2eSession {
  readonly repoRoot = path.resolve(__dirname, '..', '..');
  /** The CustomGPT.ai key the simulator accepts; the person types it into the password box. */
  readonly apiKey = `sim-${randomBytes(12).toString('hex')}`;
  /** test-results/<name>/: this suite's screenshots and logs. */
  readonly artifactsDir: string;
  private readonly numbered: boolean;
  bridgePort = 0;
  paths!: CodeServerPaths;
  simulator: Simulator | undefined;
  codeServer: CodeServer | undefined;
  browser: BrowserContext | undefined;
  private tempRoot = '';
  private shotCount = 0;
  private readonly used = new Set<Page>();

  constructor(private readonly options: SessionOptions = {}) {
    this.artifactsDir = path.join(this.repoRoot, 'test-results', options.name ?? 'e2e');
    this.numbered = options.numbered ?? true;
  }

  async start(): Promise<void> {
    const toolsDir = requiredEnv('E2E_TOOLS_DIR');
    const vsix = requiredEnv('E2E_VSIX');
    rmSync(this.artifactsDir, { recursive: true, force: true });
    mkdirSync(this.artifactsDir, { recursive: true });
    const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'customgpt-e2e-'));
    this.tempRoot = tempRoot;
    atExit(() => rmSync(tempRoot, { recursive: true, force: true }));
    this.paths = isolatedPaths(path.join(this.tempRoot, 'code-server'));

    this.simulator = await startSimulator({
      repoRoot: this.repoRoot,
      apiKey: this.apiKey,
      chunkSize: 4,
      chunkDelayMs: 40,
      logFile: path.join(this.artifactsDir, 'simulator.log'),
    });
    this.bridgePort = await freePort();
    writeUserSettings(this.paths, {
      'customgpt.upstreamUrl': this.simulator.url,
      'customgpt.port': this.bridgePort,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'security.workspace.trust.enabled': false,
      // The built-in Chat view would otherwise open beside the editor and crowd the screenshots.
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.disableAIFeatures': true,
      // code-server would list every port the bridge and simulator open as "forwarded".
      'remote.autoForwardPorts': false,
      ...this.options.settings,
    });
    for (const file of [vsix, ...(this.options.extraVsix ?? [])]) {
      const installLog = await installVsix(toolsDir, this.paths, file);
      this.log(`install-extension: ${installLog.trim()}`);
    }
    this.codeServer = await startCodeServer(toolsDir, this.paths);

    const { chromium } = loadPlaywright(toolsDir);
    const profileDir = path.join(this.tempRoot, 'chromium-profile');
    this.browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(this.tempRoot, 'chromium-xdg') },
      viewport: { width: 1400, height: 900 },
      timeout: 60_000,
    });
    await this.browser.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: this.codeServer.url,
    });
  }

  /** The workbench URL for this run's workspace folder. */
  workbenchUrl(): string {
    if (!this.codeServer) throw new Error('code-server is not running');
    return `${this.codeServer.url}/?folder=${encodeURIComponent(this.paths.workspaceDir)}`;
  }

  async newWindow(): Promise<Page> {
    if (!this.browser) throw new Error('Chromium is not running');
    // The persistent context opens with one blank tab: the first window uses it.
    const blank = this.browser.pages().find((p) => p.url() === 'about:blank' && !this.used.has(p));
    const page = blank ?? (await this.browser.newPage());
    this.used.add(page);
    const name = `window${this.used.size}`;
    page.on('console', (message) => {
      if (message.type() === 'error') this.log(`[${name} console] ${message.text()}`);
    });
    page.on('pageerror', (error) => this.log(`[${name} pageerror] ${error.message}`));
    return page;
  }

  /** test-results/<session>/NN-name.png, numbered in the order taken (or name.png). */
  async screenshot(page: Page, name: string): Promise<string> {
    this.shotCount++;
    const prefix = this.numbered ? `${String(this.shotCount).padStart(2, '0')}-` : '';
    const file = path.join(this.artifactsDir, `${prefix}${name}.png`);
    if (page.isClosed()) return file;
    // Quick inputs and toasts animate for ~150 ms: let them settle so the picture is readable.
    await page.waitForTimeout(300);
    await page.screenshot({ path: file }).catch(() => undefined);
    return file;
  }

  log(line: string): void {
    appendFileSync(
      path.join(this.artifactsDir, 'session.log'),
      `${new Date().toISOString()} ${line}\n`,
    );
  }

  /** Stops everything that was started, in reverse order, whatever state it is in. */
  /** A suite's `after`: stops everything and checks that no bridge outlived code-server. */
  async stopAndCheckNoBridgeLeft(): Promise<void> {
    await this.stop();
    // The bridge is the extension's child; stopping code-server's process group ends it.
    const left = this.paths ? bridgePids(this.paths.extensionsDir) : [];
    for (const pid of left) process.kill(pid, 'SIGKILL');
    assert.deepEqual(left, [], 'bridge processes outlived code-server');
  }

  /** A suite's `afterEach` on failure: each window's status and toasts in the log, and a picture. */
  async recordFailure(extra = ''): Promise<void> {
    for (const page of this.browser?.pages() ?? []) {
      if (page.isClosed()) continue;
      const toasts = await notificationTexts(page).catch(() => []);
      this.log(
        `after failure: status "${await statusText(page)}", toasts ${JSON.stringify(toasts)}${extra}`,
      );
      await this.screenshot(page, this.numbered ? 'FAILED' : `FAILED-${Date.now()}`);
    }
  }

  async stop(): Promise<void> {
    await this.browser
      ?.close()
      .catch((err: unknown) => this.log(`closing Chromium: ${String(err)}`));
    this.browser = undefined;
    await this.codeServer?.stop();
    this.codeServer = undefined;
    await this.simulator?.stop();
    this.simulator = undefined;
    if (this.tempRoot) {
      // code-server's own logs (extension host, server) are worth keeping next to the screenshots.
      try {
        cpSync(
          path.join(this.paths.userDataDir, 'logs'),
          path.join(this.artifactsDir, 'code-server-logs'),
          {
            recursive: true,
          },
        );
      } catch {
        // no logs written
      }
      rmSync(this.tempRoot, { recursive: true, force: true });
    }
  }
}
