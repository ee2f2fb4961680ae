// Project facts the bridge needs: the model a project answers with (its settings'
// `chatbot_model`, cached so only the first request pays for it) and the account's projects.
import type { ProjectsPage } from '../protocol';
import type { UpstreamClient } from './client';
import { LruTtl } from './lru';

export const FALLBACK_MODEL = 'customgpt';

export class ProjectDirectory {
  private readonly models = new LruTtl<string, Promise<string>>(100, 10 * 60 * 1000);

  constructor(private readonly client: UpstreamClient) {}

  /** The project's model; rejects with the mapped upstream error (404 for an unknown project). */
  model(project: string): Promise<string> {
    const hit = this.models.get(project);
    if (hit) return hit;
    const lookup = this.client
      .json<{ chatbot_model?: unknown }>({
        method: 'GET',
        path: `/projects/${encodeURIComponent(project)}/settings`,
        project,
      })
      .then((s) =>
        typeof s?.chatbot_model === 'string' && s.chatbot_model ? s.chatbot_model : FALLBACK_MODEL,
      );
    lookup.catch(() => this.models.delete(project));
    this.models.set(project, lookup);
    return lookup;
  }

  /** A known model without waiting, for `hello` and /bridge/info. */
  async cachedModel(project: string): Promise<string | null> {
    const hit = this.models.get(project);
    return hit ? hit.catch(() => null) : null;
  }

  /**
   * The model to name in a response: the project's, or FALLBACK_MODEL when the lookup fails,
   * so a failed settings call never costs an answer the upstream is giving.
   */
  modelOrFallback(project: string): Promise<string> {
    return this.model(project).catch(() => FALLBACK_MODEL);
  }

  /** One project by id; rejects with the mapped upstream error (404 for one the key cannot reach). */
  async project(id: string): Promise<ProjectsPage['projects'][number]> {
    const p = await this.client.json<RawProject>({
      method: 'GET',
      path: `/projects/${encodeURIComponent(id)}`,
      project: id,
    });
    return projectOf(p ?? {}, id);
  }

  async page(page: number): Promise<ProjectsPage> {
    const data = await this.client.json<{
      current_page?: number;
      last_page?: number;
      total?: number;
      data?: RawProject[];
    }>({ method: 'GET', path: `/projects?page=${page}` });
    const projects = (data?.data ?? []).map((p) => projectOf(p));
    return {
      page: data?.current_page ?? page,
      lastPage: data?.last_page ?? page,
      total: data?.total ?? projects.length,
      projects,
    };
  }
}

interface RawProject {
  id?: unknown;
  project_name?: unknown;
  is_chat_active?: unknown;
}

function projectOf(p: RawProject, id: string = String(p.id)): ProjectsPage['projects'][number] {
  return {
    id,
    name: typeof p.project_name === 'string' ? p.project_name : `Project ${id}`,
    active: p.is_chat_active !== false && p.is_chat_active !== 0,
  };
}
