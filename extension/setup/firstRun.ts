// The friendly first-run path: without a key, one notice offers the two ways in. It closes by
// itself as soon as either happened (a key is set, the demo runs), so it never stays up stale.
import type { Ctx } from '../ctx';
import { transientNotice } from '../status/transientNotice';

export const FIRST_RUN_MESSAGE =
  'connect your project: [Set API Key](command:customgpt.setApiKey) or [Try the Demo](command:customgpt.tryDemo) (simulated answers).';

export function showFirstRun(ctx: Ctx): void {
  const movedOn = () =>
    ctx.hasKey || ctx.demo || ctx.keyRejected || ctx.supervisor.state.kind === 'running';
  if (movedOn()) return;
  transientNotice('first-run', FIRST_RUN_MESSAGE, (close) =>
    ctx.onDidChangeView(() => {
      if (movedOn()) close();
    }),
  );
}
