// The account's projects as OpenAI models: every page of GET /projects, fetched together and
// cached briefly (a tool's model picker lists often; a project made a minute ago appears at the
// next refresh). Concurrent callers share one listing; a failed listing is not cached.
import type { ProjectDirectory } from '../upstream/projects';
import { projectModelId } from './ids';

/** An OpenAI `Model` plus the project's name (which model pickers such as Continue show). */
export interface ProjectModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'customgpt';
  /** The project's name in CustomGPT.ai. */
  name: string;
  project_id: string;
}

export const MODEL_LIST_TTL_MS = 60_000;
/** Pages fetched at most (CustomGPT.ai pages hold 10 to 100 projects); the rest is not listed. */
export const MODEL_LIST_MAX_PAGES = 50;

export class ProjectModels {
  private cached: { at: number; list: Promise<ProjectModel[]> } | undefined;

  constructor(
    private readonly projects: ProjectDirectory,
    private readonly ttlMs = MODEL_LIST_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Promise<ProjectModel[]> {
    const hit = this.cached;
    if (hit && this.now() - hit.at < this.ttlMs) return hit.list;
    const list = this.fetchAll();
    const entry = { at: this.now(), list };
    this.cached = entry;
    list.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return list;
  }

  /** The listed model with this id, or undefined. */
  async find(id: string): Promise<ProjectModel | undefined> {
    return (await this.list()).find((m) => m.id === id);
  }

  private async fetchAll(): Promise<ProjectModel[]> {
    const first = await this.projects.page(1);
    const last = Math.min(first.lastPage, MODEL_LIST_MAX_PAGES);
    const rest = [];
    for (let page = 2; page <= last; page++) rest.push(this.projects.page(page));
    const pages = [first, ...(await Promise.all(rest))];
    const seen = new Set<string>();
    const models: ProjectModel[] = [];
    for (const p of pages.flatMap((page) => page.projects)) {
      if (seen.has(p.id)) continue; // a project created mid-listing shifts pages by one
      seen.add(p.id);
      models.push({
        id: projectModelId(p.id),
        object: 'model',
        created: 0,
        owned_by: 'customgpt',
        name: p.name,
        project_id: p.id,
      });
    }
    return models;
  }
}
