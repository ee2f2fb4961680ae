// GET /projects/{id}/pages: the documents a project was built from. Every simulated project
// knows the knowledge base's pages (the answers come from them) plus one uploaded PDF, so a
// listing has a web page and a file to tell apart. Paginated like the API: `page`, `limit`
// (default 20), `order` by page id (default desc), `crawl_status` and `index_status` filters.
import { createHash } from 'node:crypto';
import type { Exchange, SimState } from './context';
import { KNOWLEDGE } from './knowledge';
import { resolveProject } from './native';
import { ordered, paginate, parsePage } from './pagination';
import { sendError, sendJson, success } from './responses';
import type { ProjectPage } from './wire';

const DEFAULT_LIMIT = 20;
const STATUSES = new Set(['all', 'ok', 'failed', 'n/a', 'queued', 'limited']);

const CREATED = '2024-01-15T09:30:00.000000Z';

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** The pages of a project: ids derived from the project id, stable across runs. */
export function projectPages(projectId: number): ProjectPage[] {
  const web = KNOWLEDGE.map(
    (doc, i): ProjectPage => ({
      id: projectId * 100 + i + 1,
      page_url: doc.url,
      page_url_hash: md5(doc.url),
      project_id: projectId,
      s3_path: null,
      crawl_status: 'ok',
      index_status: 'ok',
      is_file: false,
      is_refreshable: true,
      is_file_kept: false,
      filename: null,
      filesize: null,
      created_at: CREATED,
      updated_at: CREATED,
      deleted_at: null,
    }),
  );
  const fileId = projectId * 100 + KNOWLEDGE.length + 1;
  const file: ProjectPage = {
    id: fileId,
    page_url: 'acme-rocket-handbook.pdf',
    page_url_hash: md5(`file:${fileId}`),
    project_id: projectId,
    s3_path: `project-${projectId}/page-${fileId}/acme-rocket-handbook.pdf`,
    crawl_status: 'ok',
    index_status: 'queued',
    is_file: true,
    is_refreshable: false,
    is_file_kept: true,
    filename: 'acme-rocket-handbook.pdf',
    filesize: 482_133,
    created_at: CREATED,
    updated_at: CREATED,
    deleted_at: null,
  };
  return [...web, file];
}

export function listPages(ex: Exchange, state: SimState, projectRaw: string): void {
  const project = resolveProject(ex, state, projectRaw);
  if (!project) return;
  const { limit: limitRaw, crawl_status, index_status } = ex.query;
  const limit = limitRaw === undefined ? DEFAULT_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    sendError(ex.res, ex.url, 400, 'The limit must be an integer between 1 and 100.');
    return;
  }
  for (const [name, v] of [
    ['crawl status', crawl_status],
    ['index status', index_status],
  ] as const) {
    if (v !== undefined && !STATUSES.has(v)) {
      sendError(ex.res, ex.url, 400, `The selected ${name} is invalid.`);
      return;
    }
  }
  const wanted = (v: string | undefined, actual: string) =>
    v === undefined || v === 'all' || v === actual;
  const pages = projectPages(project.id).filter(
    (p) => wanted(crawl_status, p.crawl_status) && wanted(index_status, p.index_status),
  );
  const page = paginate(
    ordered(pages, ex.query.order, (p) => p.id),
    parsePage(ex.query.page),
    limit,
    state.baseUrl + ex.path,
  );
  sendJson(ex.res, 200, success({ project, pages: page }));
}
