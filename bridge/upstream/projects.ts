// Project facts the bridge needs: the model a project answers with (its settings'
// `chatbot_model`, cached so only the first request pays for it) and the account's projects.
import type { ProjectFacts, ProjectsPage } from '../protocol';
import type { UpstreamClient } from './client';
import { LruTtl } from './lru';

export const FALLBACK_MODEL = 'customgpt';

/** Example questions shown to a person: a few short strings, nothing else. */
const MAX_EXAMPLES = 10;
const MAX_EXAMPLE_LENGTH = 300;

export function exampleQuestionsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((q): q is string => typeof q === 'string' && q.trim() !== '')
    .map((q) => q.replace(/\s+/g, ' ').trim().slice(0, MAX_EXAMPLE_LENGTH))
    .slice(0, MAX_EXAMPLES);
}

export class ProjectDirectory {
  /** One settings call per project answers both its model and its example questions. */
  private readonly facts = new LruTtl<string, Promise<ProjectFacts>>(100, 10 * 60 * 1000);

  constructor(private readonly client: UpstreamClient) {}

  /** Model and example questions from the project's settings; rejects like model(). */
  settings(project: string): Promise<ProjectFacts> {
    const hit = this.facts.get(project);
    if (hit) return hit;
    const lookup = this.client
      .json<{ chatbot_model?: unknown; example_questions?: unknown }>({
        method: 'GET',
        path: `/projects/${encodeURIComponent(project)}/settings`,
        project,
      })
      .then((s) => ({
        id: project,
        model:
          typeof s?.chatbot_model === 'string' && s.chatbot_model
            ? s.chatbot_model
            : FALLBACK_MODEL,
        exampleQuestions: exampleQuestionsOf(s?.example_questions),
      }));
    lookup.catch(() => this.facts.delete(project));
    this.facts.set(project, lookup);
    return lookup;
  }

  /** The project's model; rejects with the mapped upstream error (404 for an unknown project). */
  model(project: string): Promise<string> {
    return this.settings(project).then((facts) => facts.model);
  }

  /** A known model without waiting, for `hello` and /bridge/info. */
  async cachedModel(project: string): Promise<string | null> {
    const hit = this.facts.get(project);
    return hit ? hit.then((facts) => facts.model).catch(() => null) : null;
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
