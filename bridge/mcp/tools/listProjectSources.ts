// list_project_sources: which documents a project was built from (CustomGPT.ai's pages of a
// project: crawled web pages and uploaded files), a page at a time, so an agent can decide
// whether the project is the right one to ask.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SourcesPage } from '../../upstream/sources';
import type { McpDeps } from '../deps';
import { resolveProject } from '../projectRef';
import { toolError } from '../toolError';
import { z } from '../zod';
import type { ToolContext } from './context';
import { pageInput } from './listProjects';

export const LIST_PROJECT_SOURCES = 'list_project_sources';

export const listProjectSourcesDescription =
  'List the documents a CustomGPT.ai project knows: the web pages and files it was trained on, ' +
  'with their crawl and index status. Use it to decide whether a project can answer a question ' +
  'before calling ask_project. Paginated: pass `page` (from 1) while page < last_page.';

export const listProjectSourcesInput = {
  project: z
    .string()
    .max(200)
    .optional()
    .describe(
      'The project: its numeric id or exact name from list_projects. Default: the project ' +
        'the bridge was started with.',
    ),
  page: pageInput,
  per_page: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('Documents per page, 1-100 (default 20).'),
};

export const listProjectSourcesOutput = {
  project: z.string(),
  page: z.number().int(),
  last_page: z.number().int(),
  total: z.number().int(),
  per_page: z.number().int(),
  sources: z.array(
    z.object({
      id: z.number().int(),
      url: z.string().describe("The page's URL, or the file name of an upload."),
      kind: z.enum(['web', 'file']),
      filename: z.string().nullable(),
      crawl_status: z.string(),
      index_status: z.string().describe('"ok" when the document is searchable.'),
      updated_at: z.string().nullable(),
    }),
  ),
};

export function listProjectSourcesResult(project: string, page: SourcesPage): CallToolResult {
  const sources = page.sources.map((s) => ({
    id: s.id,
    url: s.url,
    kind: s.kind,
    filename: s.filename,
    crawl_status: s.crawlStatus,
    index_status: s.indexStatus,
    updated_at: s.updatedAt,
  }));
  const lines = sources.map(
    (s) =>
      `- ${s.kind === 'file' ? `file ${s.filename ?? s.url}` : s.url}` +
      (s.index_status === 'ok' ? '' : ` (index: ${s.index_status})`),
  );
  const more =
    page.page < page.lastPage ? `\nMore documents: call again with page ${page.page + 1}.` : '';
  const text =
    sources.length === 0
      ? `Project ${project} has no documents on page ${page.page} (of ${page.lastPage}).`
      : `Documents of project ${project}, page ${page.page} of ${page.lastPage} (${page.total} in all):\n` +
        lines.join('\n') +
        more;
  return {
    content: [{ type: 'text', text }],
    structuredContent: {
      project,
      page: page.page,
      last_page: page.lastPage,
      total: page.total,
      per_page: page.perPage,
      sources,
    },
  };
}

export async function listProjectSources(
  deps: McpDeps,
  args: { project?: string; page?: number; per_page?: number },
  ctx: Pick<ToolContext, 'signal'>,
): Promise<CallToolResult> {
  try {
    const project = await resolveProject(args.project, deps.project, deps.projects);
    const page = await deps.sources(project, args.page ?? 1, args.per_page ?? 20, ctx.signal);
    return listProjectSourcesResult(project, page);
  } catch (err) {
    return toolError(err, deps.redact);
  }
}
