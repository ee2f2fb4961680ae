// Getting a usable bridge for a user action (chat, project list), with a helpful message when
// there is none: no key yet (offer the first-run choices) or a start that failed (offer the log).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { offer } from '../status/offer';
import type { BridgeConnection } from './bridgeState';

export type UsableBridge = BridgeConnection & { token: string };

export async function requireBridge(ctx: Ctx): Promise<UsableBridge | undefined> {
  const bridge = await ctx.ensureBridge();
  if (bridge) return bridge;
  const state = ctx.supervisor.state;
  if (state.kind === 'stopped' && state.reason === 'no-key') {
    offer(
      vscode.window.showWarningMessage(
        'CustomGPT: set your CustomGPT.ai API key first (or try the demo).',
        'Set API Key',
        'Try the Demo',
      ),
      {
        'Set API Key': () => vscode.commands.executeCommand('customgpt.setApiKey'),
        'Try the Demo': () => vscode.commands.executeCommand('customgpt.tryDemo'),
      },
    );
    return undefined;
  }
  const reason = state.kind === 'error' ? state.message : 'The bridge is not running.';
  offer(vscode.window.showErrorMessage(`CustomGPT: ${reason}`, 'Show Log'), {
    'Show Log': () => ctx.channel.show(),
  });
  return undefined;
}
