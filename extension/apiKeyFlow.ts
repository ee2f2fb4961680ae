// Setting and clearing the CustomGPT.ai key. The key goes from a password box straight into
// SecretStorage; the bridge gets it through its environment on the next (re)start.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { offer } from './offer';

export async function setApiKey(ctx: Ctx): Promise<void> {
  const entered = await vscode.window.showInputBox({
    title: 'CustomGPT: Set API Key',
    prompt:
      "Paste your CustomGPT.ai API key (app.customgpt.ai > My Profile > API). It is stored in VS Code's secret storage only.",
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'The key cannot be empty.'),
  });
  const key = entered?.trim();
  if (!key) return;
  await ctx.secrets.setApiKey(key);
  await ctx.setDemo(false);
  // Applies the key now; the onDidChange echo of our own write is then recognized and ignored.
  await ctx.onApiKeyMaybeChanged();
  if (ctx.config().projectId) {
    void vscode.window.showInformationMessage('CustomGPT: API key saved.');
    return;
  }
  // First run: lead on to the project list (a button, so nothing pops up over other input).
  // Not awaited: the command is done once the key is applied; the notification may stay open.
  offer(
    vscode.window.showInformationMessage(
      'CustomGPT: API key saved. Now pick the project that answers.',
      'Select Project',
    ),
    { 'Select Project': () => vscode.commands.executeCommand('customgpt.selectProject') },
  );
}

export async function clearApiKey(ctx: Ctx): Promise<void> {
  if (!ctx.hasKey) {
    void vscode.window.showInformationMessage('CustomGPT: no API key is stored.');
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    'Clear the CustomGPT.ai API key? The bridge stops until a key is set again.',
    { modal: true },
    'Clear API Key',
  );
  if (choice !== 'Clear API Key') return;
  await ctx.secrets.clearApiKey();
  await ctx.onApiKeyMaybeChanged();
  void vscode.window.showInformationMessage('CustomGPT: API key cleared.');
}
