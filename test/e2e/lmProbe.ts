// A tiny test-only extension, built by the test and never shipped: another extension's view of
// the CustomGPT models. Its command "CustomGPT Probe: Ask Through vscode.lm" calls
// vscode.lm.selectChatModels({ vendor: 'customgpt' }), asks the Docs project one question with
// model.sendRequest, counts tokens, writes what it got to lm-probe.json in the workspace and
// shows a notification a person can read.
import { buildTestExtension } from './testExtension';

export const PROBE_COMMAND_TITLE = 'CustomGPT Probe: Ask Through vscode.lm';
export const PROBE_RESULT_FILE = 'lm-probe.json';

export interface ProbeResult {
  models: { id: string; name: string; vendor: string; detail?: string; maxInputTokens: number }[];
  answer: string;
  tokens: number;
  error?: string;
}

const EXTENSION_JS = `
const vscode = require('vscode');
const path = require('path');
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('customgptProbe.ask', async () => {
    const result = { models: [], answer: '', tokens: 0 };
    try {
      const models = await vscode.lm.selectChatModels({ vendor: 'customgpt' });
      result.models = models.map((m) => ({ id: m.id, name: m.name, vendor: m.vendor, maxInputTokens: m.maxInputTokens }));
      const model = models.find((m) => m.id === 'customgpt-1001') || models[0];
      if (model) {
        const source = new vscode.CancellationTokenSource();
        const response = await model.sendRequest(
          [vscode.LanguageModelChatMessage.User('How do I install Acme Rocket?')],
          { justification: 'The CustomGPT e2e test asks the project through vscode.lm.' },
          source.token,
        );
        for await (const part of response.text) result.answer += part;
        result.tokens = await model.countTokens('How do I install Acme Rocket?');
      }
    } catch (error) {
      result.error = String(error && error.message || error);
    }
    const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    require('fs').writeFileSync(path.join(folder, '${PROBE_RESULT_FILE}'), JSON.stringify(result));
    vscode.window.showInformationMessage(
      'Probe: ' + result.models.length + ' CustomGPT model(s): ' + result.models.map((m) => m.name).join(', ') +
      (result.error ? '; error: ' + result.error : '; answer: ' + result.answer.slice(0, 80)),
    );
  }));
};
exports.deactivate = () => {};
`;

/** Writes the extension under `dir` and packages it; returns the VSIX path. */
export function buildProbeVsix(repoRoot: string, dir: string): Promise<string> {
  return buildTestExtension(repoRoot, dir, {
    name: 'customgpt-lm-probe',
    displayName: 'CustomGPT LM Probe',
    description: 'uses the CustomGPT models through vscode.lm.',
    activationEvents: ['onCommand:customgptProbe.ask'],
    contributes: { commands: [{ command: 'customgptProbe.ask', title: PROBE_COMMAND_TITLE }] },
    source: EXTENSION_JS,
  });
}
