// Every command of the extension, registered in one place (ids and titles are in package.json).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { projectModelId } from '../bridge/models/ids';
import { baseOrigin } from './bridge/bridgeState';
import { ChatPanel } from './chat/chatPanel';
import { promptWithSelection, quotePreview, selectionReference } from './chat/selectionPrompt';
import { type CommandFailureSink, guardCommand } from './core/commandRunner';
import type { Ctx } from './ctx';
import { clearApiKey, setApiKey } from './setup/apiKeyFlow';
import { selectProject } from './setup/projectPicker';
import { transientNotice } from './status/transientNotice';
import { mcpAgentSnippets } from './tools/mcp/agentSnippets';
import { mcpUrl } from './tools/mcp/endpoint';
import { showMenu } from './tools/menu';
import { toolSnippets } from './tools/toolSnippets';

/** Built from the port this window chose (never a URL a peer reported). */
function baseUrl(ctx: Ctx): string {
  return `${baseOrigin(ctx.bridgePort())}/v1`;
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
  // The panel opens first (without taking the focus from the question box): while the person
  // types, it shows the project's example questions.
  ChatPanel.show(ctx, { preserveFocus: true });
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
  const fileName = path.basename(editor.document.fileName);
  const prompt = promptWithSelection(question, {
    text,
    languageId: editor.document.languageId,
    fileName,
  });
  const { start, end } = editor.selection;
  // The panel shows the question and where the code comes from, not the prompt's code fences.
  const shown = {
    text: question,
    reference: selectionReference(fileName, {
      startLine: start.line,
      endLine: end.line,
      endCharacter: end.character,
    }),
    quote: quotePreview(text),
  };
  await ChatPanel.show(ctx, { beside: editor.viewColumn }).ask(prompt, shown);
}

async function copyToolSettings(ctx: Ctx): Promise<void> {
  const token = await ctx.secrets.getOrCreateBridgeToken();
  const project = ctx.config().projectId;
  const snippets = [
    ...toolSnippets(baseUrl(ctx), token, project ? projectModelId(project) : undefined),
    ...mcpAgentSnippets(mcpUrl(ctx.bridgePort()), token),
  ];
  const choice = await vscode.window.showQuickPick(
    snippets.map((snippet) => ({ label: snippet.label, detail: snippet.where, snippet })),
    {
      title: 'CustomGPT: Copy Settings for a Tool',
      placeHolder: 'Which tool do you use?',
      // Run from the palette while the chat panel has the focus, the webview takes it back
      // as the palette closes, which would close this picker before the person sees it.
      ignoreFocusOut: true,
    },
  );
  if (!choice) return;
  await vscode.env.clipboard.writeText(choice.snippet.text);
  await ctx.rememberCopiedPort(ctx.bridgePort());
  void vscode.window.showInformationMessage(
    `CustomGPT: ${choice.label} settings copied (they include the bridge token). Paste them in: ${choice.snippet.where}.`,
  );
}

export const DEMO_MESSAGE =
  'demo mode is on: answers are simulated from the fictional Acme Rocket docs. [Ask…](command:customgpt.ask) · [Set API Key](command:customgpt.setApiKey) to use your own project.';

async function tryDemo(ctx: Ctx): Promise<void> {
  await ctx.setDemo(true);
  ctx.setKeyRejected(false);
  await ctx.supervisor.restart();
  if (ctx.supervisor.state.kind !== 'running') return;
  // Closes by itself once the person moved on: asked something, set a key, or left the demo.
  const movedOn = () => {
    const activity = ctx.supervisor.activity;
    return (
      !ctx.demo ||
      ctx.supervisor.state.kind !== 'running' ||
      activity.running.length > 0 ||
      activity.recent.length > 0
    );
  };
  transientNotice('demo', DEMO_MESSAGE, (close) =>
    ctx.onDidChangeView(() => {
      if (movedOn()) close();
    }),
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
      await ctx.rememberCopiedPort(ctx.bridgePort());
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
