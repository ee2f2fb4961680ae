// Start-up work, so the user's first question is not slower than the next: the connection to
// CustomGPT.ai is opened (TCP and TLS), the key is checked (by the project's settings lookup, or
// GET /user without a project: a refused key is logged now, not on the first question), the
// configured project's model is looked up and its spare conversation made. All in the background: the bridge is ready at once, and
// a question arriving meanwhile joins the lookups already under way.
import type { Logger } from '../log';
import type { UpstreamClient } from './client';
import type { ConversationPool } from './conversation-pool';
import type { ProjectDirectory } from './projects';

export interface WarmUpDeps {
  client: UpstreamClient;
  projects: ProjectDirectory;
  /** Native mode's spare conversations; absent in compat mode. */
  spares: ConversationPool | undefined;
  project: string | undefined;
  log: Logger;
}

export async function warmUp(d: WarmUpDeps): Promise<void> {
  if (!d.client.hasKey) return;
  const keyRefused = (err: unknown) => {
    const status = (err as { status?: unknown })?.status;
    if (status === 401 || status === 403) {
      d.log.warn('CustomGPT.ai refused the API key: every question will fail until it is fixed');
    } else {
      d.log.info('start-up check of CustomGPT.ai failed; questions will retry', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  };
  // With a project, its settings lookup (the model) is the key check: one authenticated call
  // does both. (A separate GET /user at the same time was measured to cost about 14 MB of
  // idle RSS, for nothing the settings call does not tell.)
  if (!d.project) {
    await d.client
      .json({ method: 'GET', path: '/user', signal: AbortSignal.timeout(30_000) })
      .catch(keyRefused);
    return;
  }
  const checks: Promise<unknown>[] = [d.projects.model(d.project).catch(keyRefused)];
  if (d.spares) {
    d.spares.prime(d.project);
    checks.push(d.spares.made(d.project));
  }
  await Promise.all(checks);
}
