// ExtensionSecrets against a fake SecretStorage that fires onDidChange like VS Code's (for every
// store, also this window's own). Storing the bridge token on first run must not read as "the
// token changed" (that restarted the bridge just spawned with it); another window's token must.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { Emitter } from '../../../../extension/core/emitter';
import {
  BRIDGE_TOKEN_SECRET,
  ExtensionSecrets,
  type SecretName,
} from '../../../../extension/setup/secrets';

class FakeSecretStorage {
  private readonly values = new Map<string, string>();
  private readonly changed = new Emitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;
  async get(key: string) {
    return this.values.get(key);
  }
  async keys() {
    return [...this.values.keys()];
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
    setTimeout(() => this.changed.fire({ key }), 5);
  }
  async delete(key: string) {
    this.values.delete(key);
    setTimeout(() => this.changed.fire({ key }), 5);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('extension secrets', () => {
  it('creating the bridge token on first run does not report a token change', async () => {
    const storage = new FakeSecretStorage();
    const secrets = new ExtensionSecrets(storage as unknown as vscode.SecretStorage);
    const events: SecretName[] = [];
    secrets.onDidChange((name) => events.push(name));
    const token = await secrets.getOrCreateBridgeToken();
    assert.ok(token.length >= 32);
    await settle();
    assert.deepEqual(events, [], 'the echo of our own store read as a new token');
    assert.equal(await secrets.getOrCreateBridgeToken(), token);
    secrets.dispose();
  });

  it("reports another window's different token", async () => {
    const storage = new FakeSecretStorage();
    const secrets = new ExtensionSecrets(storage as unknown as vscode.SecretStorage);
    const events: SecretName[] = [];
    secrets.onDidChange((name) => events.push(name));
    await secrets.getOrCreateBridgeToken();
    await storage.store(BRIDGE_TOKEN_SECRET, 'another-windows-token-0123456789abcdef');
    await settle();
    assert.deepEqual(events, ['bridgeToken']);
    assert.equal(await secrets.getOrCreateBridgeToken(), 'another-windows-token-0123456789abcdef');
    secrets.dispose();
  });
});
