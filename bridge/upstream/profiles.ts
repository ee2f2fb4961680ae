// What a person sees of a project before asking anything: its name and the example questions its
// owner configured (settings' `example_questions`). Looked up once per project and cached; a
// failed lookup yields an empty profile instead of an error, because nothing depends on it.

import { LruTtl } from './lru';
import type { ProjectDirectory } from './projects';

export interface ProjectProfile {
  name: string | null;
  exampleQuestions: string[];
}

const EMPTY: ProjectProfile = { name: null, exampleQuestions: [] };
/** The panel shows them as buttons: a handful. */
const MAX_QUESTIONS = 6;

export class ProjectProfiles {
  private readonly cache = new LruTtl<string, Promise<ProjectProfile>>(50, 10 * 60 * 1000);

  /** The project and its settings come from the directory (its settings cache is shared). */
  constructor(private readonly directory: ProjectDirectory) {}

  /** Never rejects: a failed lookup is an empty profile (and is retried next time). */
  get(project: string): Promise<ProjectProfile> {
    const hit = this.cache.get(project);
    if (hit) return hit;
    const lookup = Promise.all([
      this.directory.project(project).catch(() => null),
      this.directory.settings(project).catch(() => null),
    ]).then(([p, s]) => {
      if (p === null && s === null) this.cache.delete(project);
      return {
        name: p?.name ?? null,
        exampleQuestions: (s?.exampleQuestions ?? []).slice(0, MAX_QUESTIONS),
      };
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
