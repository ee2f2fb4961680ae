// VS Code's own Chat view: the projects as language models and the @customgpt participant,
// registered for the extension's life. The models are loaded as soon as a bridge runs (VS Code
// loads an extension's models lazily: until something asks, the picker would not list them),
// and reloaded whenever the bridge, its key or its project changes.
import * as vscode from 'vscode';
import type { BridgeState } from '../../bridge/bridgeState';
import type { Ctx } from '../../ctx';
import { VENDOR } from './models';
import { CustomGptParticipant } from './participant';
import { ProjectFactsCache } from './projectFacts';
import { ProjectModelProvider } from './provider';

/** What the model list depends on; activity (streams, chars/s) changes nothing in it. */
function signature(state: BridgeState): string {
  if (state.kind !== 'running') return state.kind;
  const c = state.connection;
  return `running:${c.port}:${c.pid ?? ''}:${c.project}:${c.simulated}`;
}

export function registerVsCodeChat(ctx: Ctx): void {
  // Hosts without these stable APIs (older VS Code, some forks) keep the command panel only.
  if (typeof vscode.lm?.registerLanguageModelChatProvider !== 'function') return;
  if (typeof vscode.chat?.createChatParticipant !== 'function') return;
  const scope = ctx.scopes.extension;
  const facts = new ProjectFactsCache();
  const provider = scope.track(new ProjectModelProvider(ctx, facts));
  scope.track(vscode.lm.registerLanguageModelChatProvider(VENDOR, provider));
  scope.track(new CustomGptParticipant(ctx, facts));
  let last = signature(ctx.supervisor.state);
  const load = () => {
    vscode.lm.selectChatModels({ vendor: VENDOR }).then(
      (models) => ctx.log.debug(`Chat view: ${models.length} CustomGPT model(s) loaded.`),
      (error: unknown) => ctx.log.warn(`Chat view: loading models failed: ${String(error)}`),
    );
  };
  scope.track(
    ctx.supervisor.onDidChange((state) => {
      const now = signature(state);
      if (now === last) return;
      last = now;
      if (state.kind === 'starting') return;
      provider.refresh();
      if (state.kind === 'running') load();
    }),
  );
  load();
}
