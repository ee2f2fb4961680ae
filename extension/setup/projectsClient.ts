// Lists the account's projects through the running bridge, page after page (the bridge pages the
// CustomGPT.ai API; it holds the key, the extension only holds the local token).
import type { ProjectsPage } from '../../bridge/protocol';
import { errorCodeOf, errorMessageOf } from '../chat/chatChunk';
import { getJson } from '../core/httpJson';

export type ProjectSummary = ProjectsPage['projects'][number];

/** Stops a runaway loop if a page never reports being the last one. */
const MAX_PAGES = 100;

export class ProjectsError extends Error {
  /** The bridge's error code, when it answered with one (for editor words, errorWords.ts). */
  code: string | undefined;
}

function isProjectsPage(body: unknown): body is ProjectsPage {
  if (typeof body !== 'object' || body === null) return false;
  const page = body as Record<string, unknown>;
  return typeof page.page === 'number' && Array.isArray(page.projects);
}

/** Fetches one page; throws ProjectsError with the bridge's own message on failure. */
export async function fetchProjectsPage(
  origin: string,
  token: string,
  page: number,
  signal?: AbortSignal,
): Promise<ProjectsPage> {
  const options: { token: string; timeoutMs: number; signal?: AbortSignal } = {
    token,
    timeoutMs: 30000,
  };
  if (signal) options.signal = signal;
  const result = await getJson(`${origin}/bridge/projects?page=${page}`, options);
  if (result.kind === 'refused') throw new ProjectsError('The bridge is not running.');
  if (result.kind === 'failed')
    throw new ProjectsError(`Could not list projects: ${result.reason}`);
  if (result.status !== 200 || !isProjectsPage(result.body)) {
    const message = errorMessageOf(result.body) ?? `the bridge answered ${result.status}`;
    const error = new ProjectsError(`Could not list projects: ${message}`);
    error.code = errorCodeOf(result.body);
    throw error;
  }
  return {
    ...result.body,
    projects: result.body.projects.map((p) => ({ ...p, id: String(p.id) })),
  };
}

/** Calls `onPage` as pages arrive, so a picker can fill while the rest loads. */
export async function fetchAllProjects(
  origin: string,
  token: string,
  onPage: (page: ProjectsPage) => void,
  signal?: AbortSignal,
): Promise<ProjectSummary[]> {
  const all: ProjectSummary[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    if (signal?.aborted) break;
    const result = await fetchProjectsPage(origin, token, page, signal);
    all.push(...result.projects);
    onPage(result);
    if (result.page >= result.lastPage || result.projects.length === 0) break;
  }
  return all;
}
