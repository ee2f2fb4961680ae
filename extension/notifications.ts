// Tells the user, once per occurrence, when the bridge enters an error (crash budget spent, port
// taken, start failed), with the way out: the log, or the port setting.
import * as vscode from 'vscode';
import type { BridgeState } from './bridgeState';
import type { Ctx } from './ctx';
import { offer } from './offer';

export function watchForErrors(ctx: Ctx): vscode.Disposable {
  let previous: BridgeState = ctx.supervisor.state;
  return ctx.supervisor.onDidChange((state) => {
    const wasSameError =
      previous.kind === 'error' && state.kind === 'error' && previous.message === state.message;
    previous = state;
    if (state.kind !== 'error' || wasSameError) return;
    const aboutPort = state.message.includes('customgpt.port');
    const actions = aboutPort ? ['Change Port', 'Show Log'] : ['Show Log'];
    offer(vscode.window.showErrorMessage(`CustomGPT: ${state.message}`, ...actions), {
      'Show Log': () => ctx.channel.show(),
      'Change Port': () =>
        vscode.commands.executeCommand('workbench.action.openSettings', 'customgpt.port'),
    });
  });
}
