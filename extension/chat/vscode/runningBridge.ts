// The bridge for listing models: only one that runs (or is starting). Listing models happens in
// the background, when VS Code asks; it must not start a bridge the person stopped or did not
// want started (customgpt.autoStart off).
import type { UsableBridge } from '../../bridge/bridgeAccess';
import type { Ctx } from '../../ctx';

export async function runningBridge(
  ctx: Ctx,
  timeoutMs = 20000,
): Promise<UsableBridge | undefined> {
  if (ctx.supervisor.state.kind === 'starting') await ctx.supervisor.waitForRunning(timeoutMs);
  const state = ctx.supervisor.state;
  const credentials = ctx.supervisor.credentials;
  if (state.kind !== 'running' || !credentials) return undefined;
  return { ...state.connection, token: credentials.token };
}
