// list_projects: the account's projects (agents), a page at a time, with the model each
// answers with: the same ProjectDirectory the /v1/models endpoint reads.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ProjectsPage } from '../../protocol';
import type { McpDeps } from '../deps';
import { toolError } from '../toolError';
import { z } from '../zod';

export const LIST_PROJECTS = 'list_projects';

export const listProjectsDescription =
  "List the CustomGPT.ai projects (agents) of the user's account: id, name, the model each " +
  'answers with, and whether it is active. Use it to find the project to pass to ask_project ' +
  'or list_project_sources. Paginated: pass `page` (from 1) while page < last_page.';

export const pageInput = z
  .number()
  .int()
  .min(1)
  .max(10_000)
  .optional()
  .describe('The page to return, from 1 (default 1).');

export const listProjectsInput = { page: pageInput };

export const listProjectsOutput = {
  page: z.number().int(),
  last_page: z.number().int(),
  total: z.number().int(),
  projects: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      model: z.string().describe("The project's model (its settings' chatbot_model)."),
      active: z.boolean(),
      is_default: z.boolean().describe('The project ask_project uses when none is given.'),
    }),
  ),
};

/** A page of projects with their models, as the tool's result. */
export function listProjectsResult(
  page: ProjectsPage,
  models: readonly string[],
  defaultProject: string | undefined,
): CallToolResult {
  const projects = page.projects.map((p, i) => ({
    id: p.id,
    name: p.name,
    model: models[i] ?? 'customgpt',
    active: p.active,
    is_default: p.id === defaultProject,
  }));
  const lines = projects.map(
    (p) =>
      `- ${p.name} (id ${p.id}, model ${p.model}${p.active ? '' : ', inactive'}${p.is_default ? ', default' : ''})`,
  );
  const more =
    page.page < page.lastPage ? `\nMore projects: call again with page ${page.page + 1}.` : '';
  const text =
    projects.length === 0
      ? `No projects on page ${page.page} (of ${page.lastPage}).`
      : `Projects, page ${page.page} of ${page.lastPage} (${page.total} in all):\n${lines.join('\n')}${more}`;
  return {
    content: [{ type: 'text', text }],
    structuredContent: { page: page.page, last_page: page.lastPage, total: page.total, projects },
  };
}

export async function listProjects(
  deps: McpDeps,
  args: { page?: number },
): Promise<CallToolResult> {
  try {
    const page = await deps.projects.page(args.page ?? 1);
    const models = await Promise.all(page.projects.map((p) => deps.projects.modelOrFallback(p.id)));
    return listProjectsResult(page, models, deps.project);
  } catch (err) {
    return toolError(err, deps.redact);
  }
}
