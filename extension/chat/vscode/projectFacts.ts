// A project's model and example questions (GET /bridge/projects/{id}), remembered for a while:
// the model list and the follow-ups ask for them often, CustomGPT.ai's settings rarely change.
import type { ProjectFacts } from '../../../bridge/protocol';
import { baseOrigin } from '../../bridge/bridgeState';
import { getJson } from '../../core/httpJson';

const TTL_MS = 10 * 60 * 1000;

function isFacts(body: unknown): body is ProjectFacts {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.model === 'string' && Array.isArray(b.exampleQuestions);
}

export class ProjectFactsCache {
  private readonly entries = new Map<string, { at: number; facts: ProjectFacts }>();

  async get(
    bridge: { port: number; token: string },
    project: string,
  ): Promise<ProjectFacts | undefined> {
    const hit = this.entries.get(project);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.facts;
    const result = await getJson(
      `${baseOrigin(bridge.port)}/bridge/projects/${encodeURIComponent(project)}`,
      { token: bridge.token, timeoutMs: 15000 },
    );
    if (result.kind !== 'response' || result.status !== 200 || !isFacts(result.body))
      return undefined;
    const facts: ProjectFacts = {
      id: project,
      model: result.body.model,
      exampleQuestions: result.body.exampleQuestions.filter((q) => typeof q === 'string'),
    };
    this.entries.set(project, { at: Date.now(), facts });
    return facts;
  }

  clear(): void {
    this.entries.clear();
  }
}
