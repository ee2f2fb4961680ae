// Every command of the extension, registered in one place (ids and titles are in package.json).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { clearApiKey, setApiKey } from './apiKeyFlow';
import { baseUrl as bridgeBaseUrl } from './bridgeState';
import { ChatPanel } from './chatPanel';
import { type CommandFailureSink, guardCommand } from './commandRunner';
import type { Ctx } from './ctx';
import { mcpAgentSnippets } from './mcp/agentSnippets';
import { mcpPort, mcpUrl } from './mcp/endpoint';
import { showMenu } from './menu';
import { offer } from './offer';
import { selectProject } from './projectPicker';
import { promptWithSelection } from './selectionPrompt';
import { toolSnippets } from './toolSnippets';

function baseUrl(ctx: Ctx): string {
  return bridgeBaseUrl(ctx.supervisor.state, ctx.config().port);
}

async function askQuestion(prompt: string, placeHolder: string): Promise<string | undefined> {
  const question = await vscode.window.showInputBox({
    title: 'CustomGPT: Ask',
    prompt,
    placeHolder,
    ignoreFocusOut: true,
  });
  return question?.trim() || undefined;
}

async function ask(ctx: Ctx): Promise<void> {
  const question = await askQuestion('Ask your CustomGPT.ai project', 'e.g. How do I get started?');
  if (question) await ChatPanel.show(ctx).ask(question);
}

async function askAboutSelection(ctx: Ctx): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const text = editor?.document.getText(editor.selection) ?? '';
  if (!editor || !text.trim()) {
    void vscode.window.showInformationMessage('CustomGPT: select some text in an editor first.');
    return;
  }
  const question = await askQuestion('Ask about the selected text', 'e.g. What does this do?');
  if (!question) return;
  const prompt = promptWithSelection(question, {
    text,
    languageId: editor.document.languageId,
    fileName: path.basename(editor.document.fileName),
  });
  await ChatPanel.show(ctx).ask(prompt, prompt);
}

async function copyToolSettings(ctx: Ctx): Promise<void> {
  const token = await ctx.secrets.getOrCreateBridgeToken();
  const snippets = [
    ...toolSnippets(baseUrl(ctx), token),
    ...mcpAgentSnippets(mcpUrl(mcpPort(ctx.supervisor.state, ctx.config().port)), token),
  ];
  const choice = await vscode.window.showQuickPick(
    snippets.map((snippet) => ({ label: snippet.label, detail: snippet.where, snippet })),
    { title: 'CustomGPT: Copy Settings for a Tool', placeHolder: 'Which tool do you use?' },
  );
  if (!choice) return;
  await vscode.env.clipboard.writeText(choice.snippet.text);
  void vscode.window.showInformationMessage(
    `CustomGPT: ${choice.label} settings copied (they include the bridge token). Paste them in: ${choice.snippet.where}.`,
  );
}

async function tryDemo(ctx: Ctx): Promise<void> {
  await ctx.setDemo(true);
  await ctx.supervisor.restart();
  if (ctx.supervisor.state.kind !== 'running') return;
  // Not awaited: the command is done once the bridge runs; the notification may stay open.
  offer(
    vscode.window.showInformationMessage(
      'CustomGPT: demo mode is on (simulated answers). Set an API key any time to use your own project.',
      'Ask…',
      'Set API Key',
    ),
    {
      'Ask…': () => vscode.commands.executeCommand('customgpt.ask'),
      'Set API Key': () => vscode.commands.executeCommand('customgpt.setApiKey'),
    },
  );
}

export function registerCommands(ctx: Ctx): void {
  const handlers: Record<string, () => unknown> = {
    'customgpt.setApiKey': () => setApiKey(ctx),
    'customgpt.clearApiKey': () => clearApiKey(ctx),
    'customgpt.selectProject': () => selectProject(ctx),
    'customgpt.ask': () => ask(ctx),
    'customgpt.askAboutSelection': () => askAboutSelection(ctx),
    'customgpt.menu': () => showMenu(ctx),
    'customgpt.copyBaseUrl': async () => {
      const url = baseUrl(ctx);
      await vscode.env.clipboard.writeText(url);
      void vscode.window.showInformationMessage(`CustomGPT: copied ${url}`);
    },
    'customgpt.copyToken': async () => {
      await vscode.env.clipboard.writeText(await ctx.secrets.getOrCreateBridgeToken());
      void vscode.window.showInformationMessage(
        'CustomGPT: bridge token copied. Use it as the API key in your editor tool.',
      );
    },
    'customgpt.copyToolSettings': () => copyToolSettings(ctx),
    'customgpt.showLog': () => ctx.channel.show(),
    'customgpt.startBridge': () => ctx.supervisor.start(true),
    'customgpt.stopBridge': () => ctx.supervisor.stop(),
    'customgpt.restartBridge': () => ctx.supervisor.restart(),
    'customgpt.tryDemo': () => tryDemo(ctx),
  };
  const sink: CommandFailureSink = {
    log: ctx.log,
    showError: (message) => void vscode.window.showErrorMessage(message),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    ctx.scopes.extension.track(
      vscode.commands.registerCommand(id, guardCommand(id, handler, sink)),
    );
  }
}
