// Tells the user, once per occurrence, when the bridge enters an error (crash budget spent, port
// taken, start failed), with the way out: the log, or the port setting. And, once per client and
// session, when a tool's request was refused with 501 (it would otherwise fail silently here).
import * as vscode from 'vscode';
import type { BridgeState } from '../bridge/bridgeState';
import { CONFIG_SECTION } from '../core/config';
import type { Ctx } from '../ctx';
import type { RequestRecord } from './activityView';
import { offer } from './offer';
import { EXPLAIN_LABEL, UNSUPPORTED_TRADE_OFF, unsupportedNotice } from './unsupportedNotice';

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

export function watchForUnsupported(ctx: Ctx): vscode.Disposable {
  // Records are fresh objects per event: identity tells new ones from those already looked at,
  // across bridge restarts (whose request ids start over).
  const seen = new WeakSet<RequestRecord>();
  const notified = new Set<string>();
  return ctx.supervisor.onDidChange(() => {
    for (const record of ctx.supervisor.activity.recent) {
      if (seen.has(record)) continue;
      seen.add(record);
      const notice = unsupportedNotice(record, notified);
      if (!notice) continue;
      notified.add(notice.client);
      ctx.log.warn(`${notice.client} was refused (501) for the parameter "${notice.param}".`);
      const answerAnyway = () => ignoreUnsupported(ctx);
      offer(vscode.window.showWarningMessage(notice.message, notice.switchLabel, EXPLAIN_LABEL), {
        [notice.switchLabel]: answerAnyway,
        [EXPLAIN_LABEL]: () =>
          offer(
            vscode.window.showInformationMessage(
              `Let the bridge answer requests that send "${notice.param}", for every tool?`,
              { modal: true, detail: UNSUPPORTED_TRADE_OFF },
              notice.switchLabel,
            ),
            { [notice.switchLabel]: answerAnyway },
          ),
      });
    }
  });
}

/** Switches the setting; the settings watcher restarts the bridge with --on-unsupported ignore. */
async function ignoreUnsupported(ctx: Ctx): Promise<void> {
  await vscode.workspace
    .getConfiguration(CONFIG_SECTION)
    .update('onUnsupported', 'ignore', vscode.ConfigurationTarget.Global);
  ctx.log.info('customgpt.onUnsupported is now "ignore".');
  void vscode.window.showInformationMessage(
    'CustomGPT: the bridge restarts and from now on answers such requests with text, without tools.',
  );
}
