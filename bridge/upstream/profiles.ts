// What a person sees of a project before asking anything: its name and the example questions its
// owner configured (settings' `example_questions`). Looked up once per project and cached; a
// failed lookup yields an empty profile instead of an error, because nothing depends on it.
import type { UpstreamClient } from './client';
import { LruTtl } from './lru';

export interface ProjectProfile {
  name: string | null;
  exampleQuestions: string[];
}

const EMPTY: ProjectProfile = { name: null, exampleQuestions: [] };
/** The panel shows them as buttons: a handful of short ones. */
const MAX_QUESTIONS = 6;
const MAX_QUESTION_CHARS = 200;

/** Pure: the profile from the upstream's project and settings objects (either may be null). */
export function profileOf(project: unknown, settings: unknown): ProjectProfile {
  const name = (project as { project_name?: unknown } | null)?.project_name;
  const raw = (settings as { example_questions?: unknown } | null)?.example_questions;
  const questions = Array.isArray(raw)
    ? raw
        .filter((q): q is string => typeof q === 'string')
        .map((q) => q.replace(/\s+/g, ' ').trim())
        .filter((q) => q.length > 0 && q.length <= MAX_QUESTION_CHARS)
        .slice(0, MAX_QUESTIONS)
    : [];
  return {
    name: typeof name === 'string' && name.trim() ? name.trim() : null,
    exampleQuestions: questions,
  };
}

export class ProjectProfiles {
  private readonly cache = new LruTtl<string, Promise<ProjectProfile>>(50, 10 * 60 * 1000);

  constructor(private readonly client: UpstreamClient) {}

  /** Never rejects: a failed lookup is an empty profile (and is retried next time). */
  get(project: string): Promise<ProjectProfile> {
    const hit = this.cache.get(project);
    if (hit) return hit;
    const path = `/projects/${encodeURIComponent(project)}`;
    const lookup = Promise.all([
      this.client.json<unknown>({ method: 'GET', path, project }).catch(() => null),
      this.client
        .json<unknown>({ method: 'GET', path: `${path}/settings`, project })
        .catch(() => null),
    ]).then(([p, s]) => {
      if (p === null && s === null) this.cache.delete(project);
      return profileOf(p, s);
    });
    this.cache.set(project, lookup);
    return lookup;
  }

  /** The profile if it arrives within `ms`, else the empty one (for greetings that cannot wait). */
  within(project: string, ms: number): Promise<ProjectProfile> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<ProjectProfile>((resolve) => {
      timer = setTimeout(() => resolve(EMPTY), ms);
      timer.unref();
    });
    return Promise.race([this.get(project), late]).finally(() => clearTimeout(timer));
  }
}
