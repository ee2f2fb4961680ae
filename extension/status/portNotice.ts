// Tells the person when the bridge moved to a fallback port and the settings they copied into
// an editor tool point at the old one. Nobody else needs to hear about a busy port: the status
// bar shows the port in use ("ready on :8766").
import * as vscode from 'vscode';
import { portMoveNotice } from '../bridge/portMemory';
import type { Ctx } from '../ctx';
import { offer } from './offer';

export function watchPortMoves(ctx: Ctx): vscode.Disposable {
  let shown: string | undefined;
  return ctx.onDidChangeView(() => {
    const state = ctx.supervisor.state;
    if (state.kind !== 'running') return;
    const notice = portMoveNotice(ctx.copiedPort(), state.connection.port, ctx.config().port);
    if (!notice || notice === shown) return;
    shown = notice;
    offer(vscode.window.showWarningMessage(notice, 'Copy Settings for a Tool…'), {
      'Copy Settings for a Tool…': () =>
        vscode.commands.executeCommand('customgpt.copyToolSettings'),
    });
  });
}
