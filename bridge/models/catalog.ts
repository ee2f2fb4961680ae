// The account's projects as OpenAI models: every page of GET /projects, fetched a few at a time
// and cached briefly (a tool's model picker lists often; a project made a minute ago appears at
// the next refresh). Concurrent callers share one listing. The default project is always
// listed, first: tools that take the first model then chat with the project the bridge serves,
// and a failed listing (not cached) still answers with it, so tools that list models before
// they chat keep working when the account's listing does not.
import { BridgeError } from '../http/openai-error';
import type { ProjectDirectory } from '../upstream/projects';
import { projectModelId, projectOfModel } from './ids';

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
/** Page requests in flight at once: a large account must not send 49 requests together. */
export const MODEL_LIST_CONCURRENCY = 4;

export class ProjectModels {
  private cached: { at: number; list: Promise<ProjectModel[]> } | undefined;

  constructor(
    private readonly projects: ProjectDirectory,
    /** The bridge's default project (--project), if any. */
    private readonly defaultProject: string | undefined,
    private readonly ttlMs = MODEL_LIST_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<ProjectModel[]> {
    try {
      return await this.listing();
    } catch (err) {
      if (this.defaultProject === undefined) throw err;
      return [modelOf(this.defaultProject, `Project ${this.defaultProject}`)];
    }
  }

  private listing(): Promise<ProjectModel[]> {
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

  /**
   * The model with this id, or undefined. Looked up by id (the project's own endpoint), so a
   * project beyond the listed pages is found too; a cached listing answers without a call.
   */
  async find(id: string): Promise<ProjectModel | undefined> {
    const project = projectOfModel(id);
    if (project === undefined || projectModelId(project) !== id) return undefined;
    const hit = this.cached;
    if (hit && this.now() - hit.at < this.ttlMs) {
      const listed = (await hit.list.catch(() => [])).find((m) => m.id === id);
      if (listed) return listed;
    }
    try {
      const p = await this.projects.project(project);
      return modelOf(p.id, p.name);
    } catch (err) {
      if (err instanceof BridgeError && (err.status === 404 || err.status === 403)) {
        return undefined;
      }
      throw err;
    }
  }

  private async fetchAll(): Promise<ProjectModel[]> {
    const first = await this.projects.page(1);
    const last = Math.min(first.lastPage, MODEL_LIST_MAX_PAGES);
    const pages = [first, ...(await pagesFrom(this.projects, 2, last))];
    const seen = new Set<string>();
    const models: ProjectModel[] = [];
    for (const p of pages.flatMap((page) => page.projects)) {
      if (seen.has(p.id)) continue; // a project created mid-listing shifts pages by one
      seen.add(p.id);
      models.push(modelOf(p.id, p.name));
    }
    const main = this.defaultProject;
    if (main === undefined) return models;
    const at = models.findIndex((m) => m.project_id === main);
    const head =
      at >= 0
        ? models.splice(at, 1)[0]!
        : modelOf(
            main,
            await this.projects.project(main).then(
              (p) => p.name,
              () => `Project ${main}`,
            ),
          );
    return [head, ...models];
  }
}

function modelOf(projectId: string, name: string): ProjectModel {
  return {
    id: projectModelId(projectId),
    object: 'model',
    created: 0,
    owned_by: 'customgpt',
    name,
    project_id: projectId,
  };
}

/** Pages `from`..`to`, in order, at most MODEL_LIST_CONCURRENCY requests at a time. */
async function pagesFrom(projects: ProjectDirectory, from: number, to: number) {
  const numbers = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  const pages = new Array<Awaited<ReturnType<ProjectDirectory['page']>>>(numbers.length);
  let next = 0;
  const worker = async () => {
    while (next < numbers.length) {
      const i = next++;
      pages[i] = await projects.page(numbers[i]!);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(MODEL_LIST_CONCURRENCY, numbers.length) }, worker),
  );
  return pages;
}
