// The two secrets, kept only in VS Code's SecretStorage (the OS keychain where available): the
// user's CustomGPT.ai API key and the bridge's local bearer token. SecretStorage is shared by
// all windows, so changes made in one window arrive here through onDidChange.
import type * as vscode from 'vscode';
import { Emitter } from '../core/emitter';
import { generateBridgeToken } from './token';

export const API_KEY_SECRET = 'customgpt.apiKey';
export const BRIDGE_TOKEN_SECRET = 'customgpt.bridgeToken';

export type SecretName = 'apiKey' | 'bridgeToken';

export class ExtensionSecrets implements vscode.Disposable {
  private readonly changed = new Emitter<SecretName>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** Last values seen, so the log can redact them without an async read. */
  private known: { apiKey?: string; bridgeToken?: string } = {};
  private disposed = false;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.subscription = storage.onDidChange((event) => {
      if (event.key === API_KEY_SECRET) this.changed.fire('apiKey');
      if (event.key === BRIDGE_TOKEN_SECRET) void this.onTokenEvent();
    });
  }

  /**
   * Fires 'bridgeToken' only for a token other than the one in use: storing the token on first
   * run echoes back as a change, and treating that echo as new would restart the bridge that
   * was just spawned with this very token.
   */
  private async onTokenEvent(): Promise<void> {
    let token: string | undefined;
    try {
      token = await this.storage.get(BRIDGE_TOKEN_SECRET);
    } catch {
      token = undefined; // unreadable (window closing): report it, the reader decides
    }
    if (token !== undefined && token === this.known.bridgeToken) return;
    // Reported once: a second event for the same new token is no news either.
    if (token !== undefined) this.known.bridgeToken = token;
    if (!this.disposed) this.changed.fire('bridgeToken');
  }

  /** Values to mask in logs (the current ones and any seen before a change). */
  get knownValues(): readonly (string | undefined)[] {
    return [this.known.apiKey, this.known.bridgeToken];
  }

  async getApiKey(): Promise<string | undefined> {
    const key = (await this.storage.get(API_KEY_SECRET))?.trim() || undefined;
    if (key) this.known.apiKey = key;
    return key;
  }

  async setApiKey(key: string): Promise<void> {
    this.known.apiKey = key;
    await this.storage.store(API_KEY_SECRET, key);
  }

  async clearApiKey(): Promise<void> {
    await this.storage.delete(API_KEY_SECRET);
  }

  /** The local token, created on first use. Re-read after storing: another window may race us. */
  async getOrCreateBridgeToken(): Promise<string> {
    let token = await this.storage.get(BRIDGE_TOKEN_SECRET);
    if (!token) {
      const created = generateBridgeToken();
      // Known before it is stored, so the change event this store causes is seen as our echo.
      this.known.bridgeToken = created;
      await this.storage.store(BRIDGE_TOKEN_SECRET, created);
      token = await this.storage.get(BRIDGE_TOKEN_SECRET);
    }
    if (!token) throw new Error('SecretStorage did not keep the bridge token.');
    this.known.bridgeToken = token;
    return token;
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.changed.dispose();
  }
}
