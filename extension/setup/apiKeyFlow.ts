// Setting and clearing the CustomGPT.ai key. The key goes from a password box to one check
// against CustomGPT.ai (GET /api/v1/user), then into SecretStorage; the bridge gets it through
// its environment on the next (re)start. A key CustomGPT.ai rejects is not stored: the person
// is told at once, the status bar says "key rejected", and Enter Again reopens the box.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { offer } from '../status/offer';
import { transientNotice } from '../status/transientNotice';
import { checkApiKey } from './keyCheck';

export const KEY_REJECTED_MESSAGE =
  'CustomGPT.ai rejected this key. Copy it again from app.customgpt.ai > My Profile > API (the whole key), then enter it again.';

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
  const verdict = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'CustomGPT: checking the key…' },
    () => checkApiKey(ctx.config().upstreamUrl, key),
  );
  if (verdict.kind === 'rejected') {
    ctx.log.warn(`CustomGPT.ai rejected the key entered (HTTP ${verdict.status}); not stored.`);
    ctx.setKeyRejected(true);
    offer(vscode.window.showErrorMessage(`CustomGPT: ${KEY_REJECTED_MESSAGE}`, 'Enter Again'), {
      'Enter Again': () => vscode.commands.executeCommand('customgpt.setApiKey'),
    });
    return;
  }
  ctx.keyAccepted();
  await ctx.secrets.setApiKey(key);
  await ctx.setDemo(false);
  // Applies the key now; the onDidChange echo of our own write is then recognized and ignored.
  await ctx.onApiKeyMaybeChanged();
  const unverified =
    verdict.kind === 'unverified' ? ` (not checked: ${verdict.reason}; it is used anyway)` : '';
  if (ctx.config().projectId) {
    void vscode.window.showInformationMessage(`CustomGPT: API key saved${unverified}.`);
    return;
  }
  // First run: lead on to the project list. The notice closes once a project is picked.
  transientNotice(
    'pick-project',
    `API key saved${unverified}. Now pick the project that answers: [Select Project](command:customgpt.selectProject).`,
    (close) =>
      ctx.onDidChangeView(() => {
        if (ctx.config().projectId || !ctx.hasKey) close();
      }),
  );
}

export async function clearApiKey(ctx: Ctx): Promise<void> {
  if (!ctx.hasKey) {
    ctx.setKeyRejected(false);
    void vscode.window.showInformationMessage('CustomGPT: no API key is stored.');
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    'Clear the CustomGPT.ai API key? The bridge stops until a key is set again.',
    { modal: true },
    'Clear API Key',
  );
  if (choice !== 'Clear API Key') return;
  ctx.setKeyRejected(false);
  await ctx.secrets.clearApiKey();
  await ctx.onApiKeyMaybeChanged();
  void vscode.window.showInformationMessage('CustomGPT: API key cleared.');
}
