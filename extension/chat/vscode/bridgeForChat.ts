// A usable bridge for a Chat view request, or the reason there is none in words the chat can
// show. Unlike the command panel (bridgeAccess.ts), nothing pops up: the chat answers in place.
// A bridge the person stopped stays stopped until they press Start Bridge.
import type { UsableBridge } from '../../bridge/bridgeAccess';
import type { Ctx } from '../../ctx';
import type { ChatProblem } from './chatErrors';

export type ChatBridge = { bridge: UsableBridge } | { problem: ChatProblem };

function problemOf(ctx: Ctx): ChatProblem | undefined {
  const state = ctx.supervisor.state;
  if (state.kind === 'error') return { kind: 'bridge-error', message: state.message };
  if (state.kind !== 'stopped') return undefined;
  if (state.reason === 'user') return { kind: 'bridge-stopped' };
  if (state.reason === 'no-key') return { kind: 'no-key' };
  return undefined;
}

export async function bridgeForChat(ctx: Ctx, timeoutMs = 20000): Promise<ChatBridge> {
  const before = problemOf(ctx);
  // A missing key may have been set since (another window): let the supervisor look again.
  if (before && before.kind !== 'no-key') return { problem: before };
  const bridge = await ctx.ensureBridge(timeoutMs);
  if (bridge) return { bridge };
  return {
    problem: problemOf(ctx) ?? { kind: 'bridge-error', message: 'it did not start in time.' },
  };
}
