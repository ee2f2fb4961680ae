// The friendly first-run path: without a key, one notification offers the two ways in.
import * as vscode from 'vscode';
import { offer } from './offer';

export function showFirstRun(): void {
  offer(
    vscode.window.showInformationMessage(
      'CustomGPT: connect your project',
      'Set API Key',
      'Try the Demo',
    ),
    {
      'Set API Key': () => vscode.commands.executeCommand('customgpt.setApiKey'),
      'Try the Demo': () => vscode.commands.executeCommand('customgpt.tryDemo'),
    },
  );
}
