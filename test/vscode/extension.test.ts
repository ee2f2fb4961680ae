// Runs inside a real VS Code (via @vscode/test-cli): activation, commands, settings, and the demo
// bridge end to end through the status bar text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_TITLES } from '../../extension/core/commandIds';
import type { ExtensionTestApi } from '../../extension/main';

const EXTENSION_ID = 'customgpt-bridge.customgpt-bridge';

async function api(): Promise<ExtensionTestApi> {
  const extension = vscode.extensions.getExtension<ExtensionTestApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.isActive ? extension.exports : await extension.activate();
}

async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('CustomGPT extension in VS Code', () => {
  it('activates and shows a status bar text', async () => {
    const text = (await api()).statusText();
    assert.match(text, /^\$\([a-z~-]+\) CustomGPT: /);
  });

  it('registers every contributed command', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    for (const id of Object.keys(COMMAND_TITLES)) assert.ok(commands.includes(id), id);
  });

  it('contributes the settings with their defaults', () => {
    const config = vscode.workspace.getConfiguration('customgpt');
    assert.equal(config.get('port'), 8765);
    assert.equal(config.get('autoStart'), true);
    assert.equal(config.get('onUnsupported'), 'error');
    assert.equal(config.get('citations'), 'append');
    assert.equal(config.get('upstreamUrl'), '');
  });

  it('runs the demo bridge and stops it', async () => {
    const extension = await api();
    const port = 20000 + Math.floor(Math.random() * 20000);
    await vscode.workspace
      .getConfiguration('customgpt')
      .update('port', port, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('customgpt.tryDemo');
      await eventually(
        () => extension.statusText() === `$(plug) CustomGPT: ready on :${port} (demo)`,
        20000,
        'the demo bridge',
      );
      const health = await fetch(`http://127.0.0.1:${port}/bridge/health`);
      assert.equal(health.status, 200);
      await vscode.commands.executeCommand('customgpt.stopBridge');
      assert.equal(extension.stateKind(), 'stopped');
    } finally {
      await vscode.workspace
        .getConfiguration('customgpt')
        .update('port', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
