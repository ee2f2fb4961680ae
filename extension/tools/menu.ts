// The status bar click: one quick pick with every action that makes sense right now.
import * as vscode from 'vscode';
import { baseUrl } from '../bridge/bridgeState';
import type { Ctx } from '../ctx';

interface MenuItem extends vscode.QuickPickItem {
  command?: string;
  /** For actions that have no command of their own. */
  run?: () => Promise<void>;
}

function separator(label: string): MenuItem {
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

export function menuItems(ctx: Ctx): MenuItem[] {
  const state = ctx.supervisor.state;
  const running = state.kind === 'running';
  const url = baseUrl(state, ctx.config().port);
  const items: MenuItem[] = [
    separator('Connect a tool'),
    { label: '$(copy) Copy Base URL', description: url, command: 'customgpt.copyBaseUrl' },
    {
      label: '$(key) Copy Token',
      description: 'the API key for tools',
      command: 'customgpt.copyToken',
    },
    {
      label: '$(settings-gear) Copy Settings for a Tool…',
      description: 'Continue, Cline, Roo Code, Copilot Chat, Zed; MCP for Claude Code, Cursor…',
      command: 'customgpt.copyToolSettings',
    },
    separator('Bridge'),
    { label: '$(output) Show Log', command: 'customgpt.showLog' },
  ];
  if (running || state.kind === 'starting') {
    items.push(
      { label: '$(debug-restart) Restart Bridge', command: 'customgpt.restartBridge' },
      { label: '$(debug-stop) Stop Bridge', command: 'customgpt.stopBridge' },
    );
  } else {
    items.push({ label: '$(play) Start Bridge', command: 'customgpt.startBridge' });
  }
  items.push(
    separator('Project'),
    { label: '$(comment-discussion) Ask…', command: 'customgpt.ask' },
    { label: '$(list-selection) Select Project', command: 'customgpt.selectProject' },
    {
      label: '$(key) Set API Key',
      description: ctx.hasKey ? 'a key is stored' : 'not set',
      command: 'customgpt.setApiKey',
    },
  );
  if (ctx.demo) {
    items.push({
      label: '$(beaker) Leave the Demo',
      description: ctx.hasKey ? 'answer from your project again' : 'stops the simulated bridge',
      run: () => leaveDemo(ctx),
    });
  } else if (!ctx.hasKey) {
    items.push({
      label: '$(beaker) Try the Demo (Simulated Answers)',
      command: 'customgpt.tryDemo',
    });
  }
  return items;
}

async function leaveDemo(ctx: Ctx): Promise<void> {
  await ctx.setDemo(false);
  // With a key the bridge restarts against the real project; without one it stops.
  await ctx.supervisor.restart();
}

export async function showMenu(ctx: Ctx): Promise<void> {
  const choice = await vscode.window.showQuickPick(menuItems(ctx), {
    title: 'CustomGPT.ai Bridge',
    placeHolder: 'What do you want to do?',
  });
  if (choice?.run) await choice.run();
  else if (choice?.command) await vscode.commands.executeCommand(choice.command);
}
