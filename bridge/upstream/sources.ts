// The documents a project knows: CustomGPT.ai's `GET /projects/{id}/pages` (tag "Pages" in the
// OpenAPI document: one entry per crawled web page or uploaded file, Laravel-paginated under
// `data.pages`). Fetching is here; reading the page is a pure function, tested on its own.
import type { UpstreamClient } from './client';

export interface ProjectSource {
  id: number;
  /** The page's URL, or the file's name for an upload. */
  url: string;
  kind: 'web' | 'file';
  filename: string | null;
  crawlStatus: string;
  indexStatus: string;
  updatedAt: string | null;
}

export interface SourcesPage {
  page: number;
  lastPage: number;
  total: number;
  perPage: number;
  sources: ProjectSource[];
}

/** The page size the API uses when none is asked for; the bridge asks for it explicitly. */
export const DEFAULT_SOURCES_PER_PAGE = 20;

export async function fetchProjectSources(
  client: UpstreamClient,
  project: string,
  page: number,
  perPage: number = DEFAULT_SOURCES_PER_PAGE,
  signal?: AbortSignal,
): Promise<SourcesPage> {
  const data = await client.json<unknown>({
    method: 'GET',
    path: `/projects/${encodeURIComponent(project)}/pages?page=${page}&limit=${perPage}`,
    project,
    signal,
  });
  return parseSourcesPage(data, page, perPage);
}

/** `data` of the pages answer as a SourcesPage; missing fields get safe defaults. */
export function parseSourcesPage(data: unknown, page: number, perPage: number): SourcesPage {
  const pages = record(record(data).pages);
  const items = Array.isArray(pages.data) ? pages.data : [];
  const sources: ProjectSource[] = [];
  for (const raw of items) {
    const p = record(raw);
    const id = Number(p.id);
    if (!Number.isFinite(id)) continue;
    const isFile = p.is_file === true || p.is_file === 1;
    const filename = text(p.filename);
    sources.push({
      id,
      url: text(p.page_url) ?? filename ?? `page ${id}`,
      kind: isFile ? 'file' : 'web',
      filename,
      crawlStatus: text(p.crawl_status) ?? 'n/a',
      indexStatus: text(p.index_status) ?? 'n/a',
      updatedAt: text(p.updated_at),
    });
  }
  const int = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
  return {
    page: int(pages.current_page, page),
    lastPage: int(pages.last_page, page),
    total: int(pages.total, sources.length),
    perPage: int(pages.per_page, perPage),
    sources,
  };
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}
