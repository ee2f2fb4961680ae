// The one context object: owns every disposable in two scopes (the extension's life and one
// bridge connection's life, see scope.ts), the log channel, the secrets, the settings view and
// the bridge supervisor. Commands, status bar and chat receive it instead of reaching for globals.
import * as vscode from 'vscode';
import type { UsableBridge } from './bridge/bridgeAccess';
import { fallbackRecord, rememberedPortFor } from './bridge/portMemory';
import { StopFlagFile } from './bridge/stopFlag';
import { BridgeSupervisor, type LaunchPlan } from './bridge/supervisor';
import { isCancellation } from './core/cancellation';
import {
  type BridgeConfig,
  bridgeArgs,
  CONFIG_SECTION,
  keysNeedingRestart,
  readConfig,
} from './core/config';
import { Emitter } from './core/emitter';
import { RedactingLogger } from './core/redactingLogger';
import { LifeScopes } from './core/scope';
import { ExtensionSecrets, type SecretName } from './setup/secrets';

const DEMO_STATE_KEY = 'customgpt.demo';
const PROJECT_NAMES_KEY = 'customgpt.projectNames';
/** The fallback port this machine's bridge moved to (portMemory.ts). */
const PORT_FALLBACK_KEY = 'customgpt.portFallback';
/** The port in the base URL or tool settings the person last copied. */
const COPIED_PORT_KEY = 'customgpt.copiedPort';

export class Ctx {
  readonly scopes = new LifeScopes();
  readonly channel: vscode.LogOutputChannel;
  readonly log: RedactingLogger;
  readonly secrets: ExtensionSecrets;
  readonly supervisor: BridgeSupervisor;
  private hasKeyValue = false;
  private keyRejectedValue = false;
  private keyAcceptedAfterValue: string | undefined;
  /** Key and demo flag the bridge runs (or is about to run) with: a real change from an echo. */
  private inEffect: { key: string | undefined; demo: boolean } | undefined;
  private readonly viewChanged = new Emitter<void>();
  /** Anything the status bar shows changed: bridge state, activity, key presence, settings. */
  readonly onDidChangeView = this.viewChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    const ext = this.scopes.extension;
    this.channel = ext.track(vscode.window.createOutputChannel('CustomGPT Bridge', { log: true }));
    this.secrets = ext.track(new ExtensionSecrets(extension.secrets));
    this.log = new RedactingLogger(this.channel, () => this.secrets.knownValues);
    // One folder per user and machine, also for code-server's remote extension hosts.
    const stopFlag = new StopFlagFile(extension.globalStorageUri.fsPath);
    this.supervisor = new BridgeSupervisor({
      plan: () => this.plan(),
      execPath: process.execPath,
      bridgeScript: vscode.Uri.joinPath(extension.extensionUri, 'dist', 'bridge.js').fsPath,
      log: this.log,
      bridgeLog: (line) => this.log.bridgeLine(line),
      scopes: this.scopes,
      stopFlag,
      onPortChosen: (configured, port) => {
        void this.extension.globalState.update(PORT_FALLBACK_KEY, fallbackRecord(configured, port));
      },
    });
    ext.track(this.supervisor.onDidChange(() => this.viewChanged.fire()));
    stopFlag.watch(() => void this.onStopFlagChanged());
    ext.track(stopFlag);
    ext.track(this.secrets.onDidChange((name) => void this.onSecretChanged(name)));
    ext.track(vscode.workspace.onDidChangeConfiguration((event) => this.onConfigChanged(event)));
  }

  get hasKey(): boolean {
    return this.hasKeyValue;
  }

  /** CustomGPT.ai refused the key entered last (status "key rejected" until one is accepted). */
  get keyRejected(): boolean {
    return this.keyRejectedValue;
  }

  /**
   * The request the bridge had answered last when a key was accepted: a "key rejected" answer
   * older than that (or that one) no longer makes the status say so.
   */
  get keyAcceptedAfter(): string | undefined {
    return this.keyAcceptedAfterValue;
  }

  /** A key was checked and accepted (also the same key again, after a revocation scare). */
  keyAccepted(): void {
    this.keyRejectedValue = false;
    this.keyAcceptedAfterValue = this.supervisor.activity.recent[0]?.id;
    this.viewChanged.fire();
  }

  setKeyRejected(value: boolean): void {
    if (this.keyRejectedValue === value) return;
    this.keyRejectedValue = value;
    this.viewChanged.fire();
  }

  get demo(): boolean {
    return this.extension.globalState.get<boolean>(DEMO_STATE_KEY, false);
  }

  async setDemo(value: boolean): Promise<void> {
    await this.extension.globalState.update(DEMO_STATE_KEY, value);
    this.viewChanged.fire();
  }

  config(): BridgeConfig {
    return readConfig(vscode.workspace.getConfiguration(CONFIG_SECTION));
  }

  projectName(id: string): string | undefined {
    return this.extension.globalState.get<Record<string, string>>(PROJECT_NAMES_KEY, {})[id];
  }

  async rememberProjectName(id: string, name: string): Promise<void> {
    const names = this.extension.globalState.get<Record<string, string>>(PROJECT_NAMES_KEY, {});
    await this.extension.globalState.update(PROJECT_NAMES_KEY, { ...names, [id]: name });
  }

  /** The bridge's port: the running one, else the remembered fallback, else the setting. */
  bridgePort(): number {
    const state = this.supervisor.state;
    if (state.kind === 'running') return state.connection.port;
    const configured = this.config().port;
    return (
      rememberedPortFor(this.extension.globalState.get(PORT_FALLBACK_KEY), configured) ?? configured
    );
  }

  copiedPort(): unknown {
    return this.extension.globalState.get(COPIED_PORT_KEY);
  }

  /** Called when the person copies a base URL or tool settings: those tools now use `port`. */
  async rememberCopiedPort(port: number): Promise<void> {
    await this.extension.globalState.update(COPIED_PORT_KEY, port);
  }

  /** Runs after activate() returned: nothing here may delay activation. */
  async boot(): Promise<void> {
    this.hasKeyValue = (await this.secrets.getApiKey()) !== undefined;
    this.viewChanged.fire();
    if (this.config().autoStart) await this.supervisor.start(false);
  }

  /** Base URL and token of a running bridge, starting it when needed; undefined when impossible. */
  async ensureBridge(timeoutMs = 20000): Promise<UsableBridge | undefined> {
    const state = this.supervisor.state;
    if (state.kind !== 'running') {
      if (state.kind !== 'starting') void this.supervisor.start(true);
      await this.supervisor.waitForRunning(timeoutMs);
    }
    const now = this.supervisor.state;
    const credentials = this.supervisor.credentials;
    if (now.kind === 'running' && credentials) {
      return { ...now.connection, token: credentials.token };
    }
    return undefined;
  }

  async onApiKeyMaybeChanged(): Promise<void> {
    const key = await this.secrets.getApiKey();
    const had = this.hasKeyValue;
    this.hasKeyValue = key !== undefined;
    if (had !== this.hasKeyValue) this.viewChanged.fire();
    // A key set in any window means "use my project": demo mode ends everywhere.
    if (key && this.demo) await this.setDemo(false);
    const demo = this.demo;
    if (this.inEffect && key === this.inEffect.key && demo === this.inEffect.demo) return;
    this.inEffect = { key, demo };
    await this.supervisor.applyChanges({ portChanged: false });
  }

  async dispose(): Promise<void> {
    await this.supervisor.dispose();
    await this.scopes.dispose();
    this.viewChanged.dispose();
  }

  private async plan(): Promise<LaunchPlan> {
    const config = this.config();
    const token = await this.secrets.getOrCreateBridgeToken();
    const key = await this.secrets.getApiKey();
    const demo = this.demo;
    this.inEffect = { key, demo };
    this.hasKeyValue = key !== undefined;
    const secretEnv: Record<string, string> = { CUSTOMGPT_BRIDGE_TOKEN: token };
    if (key && !demo) secretEnv.CUSTOMGPT_API_KEY = key;
    return {
      port: config.port,
      rememberedPort: rememberedPortFor(
        this.extension.globalState.get(PORT_FALLBACK_KEY),
        config.port,
      ),
      token,
      args: bridgeArgs(config, demo),
      secretEnv,
      canSpawn: demo || key !== undefined,
    };
  }

  private async onSecretChanged(name: SecretName): Promise<void> {
    try {
      if (name === 'apiKey') await this.onApiKeyMaybeChanged();
      else await this.supervisor.applyChanges({ portChanged: false });
    } catch (error) {
      if (isCancellation(error)) this.log.debug(`Secret change canceled: ${String(error)}`);
      else this.log.error(`Could not apply a secret change: ${String(error)}`);
    }
  }

  private async onStopFlagChanged(): Promise<void> {
    try {
      await this.supervisor.onSharedStopChanged();
    } catch (error) {
      this.log.error(`Could not follow a Stop or Start of another window: ${String(error)}`);
    }
  }

  private onConfigChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(CONFIG_SECTION)) return;
    this.viewChanged.fire();
    const keys = keysNeedingRestart((key) => event.affectsConfiguration(key));
    if (keys.length > 0) {
      this.log.info(`Settings changed (${keys.join(', ')}); applying them.`);
      void this.supervisor.applyChanges({ portChanged: keys.includes('port') });
    }
    const state = this.supervisor.state;
    if (
      event.affectsConfiguration(`${CONFIG_SECTION}.autoStart`) &&
      this.config().autoStart &&
      state.kind === 'stopped' &&
      state.reason === 'not-started'
    ) {
      void this.supervisor.start(false);
    }
  }
}
