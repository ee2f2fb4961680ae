// Entry point. activate() only wires things up and returns: starting (or finding) the bridge
// runs afterwards, so VS Code's startup never waits on a process or the network.
import type * as vscode from 'vscode';
import { registerVsCodeChat } from './chat/vscode/register';
import { registerCommands } from './commands';
import { isCancellation } from './core/cancellation';
import { Ctx } from './ctx';
import { showFirstRun } from './setup/firstRun';
import { watchForErrors, watchForUnsupported } from './status/notifications';
import { watchPortMoves } from './status/portNotice';
import { StatusBar } from './status/statusBar';
import { statusText } from './status/statusText';
import { registerMcpServerProvider } from './tools/mcp/serverProvider';

let ctx: Ctx | undefined;

/** A small surface for the @vscode/test-cli suite; not a public API. */
export interface ExtensionTestApi {
  statusText(): string;
  stateKind(): string;
}

export function activate(context: vscode.ExtensionContext): ExtensionTestApi {
  const started = Date.now();
  const current = new Ctx(context);
  ctx = current;
  registerCommands(current);
  registerMcpServerProvider(current);
  registerVsCodeChat(current);
  const statusBar = current.scopes.extension.track(new StatusBar(current));
  current.scopes.extension.track(watchForErrors(current));
  current.scopes.extension.track(watchPortMoves(current));
  current.scopes.extension.track(watchForUnsupported(current));
  void current
    .boot()
    .then(() => {
      const state = current.supervisor.state;
      if (state.kind === 'stopped' && state.reason === 'no-key' && !current.demo) {
        showFirstRun(current);
      }
    })
    .catch((error: unknown) => {
      // The window closed while start-up still waited on VS Code: nothing to report.
      if (isCancellation(error)) current.log.debug(`Start-up canceled: ${String(error)}`);
      else current.log.error(`Start-up failed: ${String(error)}`);
    });
  current.log.info(`Activated in ${Date.now() - started} ms.`);
  return {
    statusText: () => statusText(statusBar.input()),
    stateKind: () => current.supervisor.state.kind,
  };
}

export async function deactivate(): Promise<void> {
  const current = ctx;
  ctx = undefined;
  await current?.dispose();
}
