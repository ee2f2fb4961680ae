// A tool's `project` argument (an id, a name, or nothing) resolved to a project id. Ids are
// CustomGPT.ai's numeric ids; anything else is looked up by name across the account's
// project pages (exact, case-insensitive), so an agent can say "Acme Rocket Docs".
import type { ProjectDirectory } from '../upstream/projects';
import { ToolInputError } from './toolError';

/** Enough pages for any account the bridge is meant for, and a bound on a name lookup. */
const MAX_NAME_PAGES = 20;

export async function resolveProject(
  given: string | undefined,
  fallback: string | undefined,
  projects: ProjectDirectory,
): Promise<string> {
  const ref = given?.trim() ?? '';
  if (ref === '') {
    if (fallback) return fallback;
    throw new ToolInputError(
      'No project given and the bridge has no default project: pass `project` (an id or a ' +
        'name from list_projects).',
    );
  }
  if (/^\d{1,20}$/.test(ref)) return ref;
  const seen: { id: string; name: string }[] = [];
  for (let page = 1; page <= MAX_NAME_PAGES; page++) {
    const p = await projects.page(page);
    seen.push(...p.projects);
    const found = matchProjectName(seen, ref);
    if (found) return found;
    if (p.page >= p.lastPage) break;
  }
  throw new ToolInputError(
    `No project is named "${ref.slice(0, 100)}". Call list_projects for the account's projects ` +
      'and pass one by id or exact name.',
  );
}

/** The id of the project whose name is `name`, ignoring case and surrounding space. */
export function matchProjectName(
  projects: readonly { id: string; name: string }[],
  name: string,
): string | undefined {
  const wanted = name.trim().toLowerCase();
  return projects.find((p) => p.name.trim().toLowerCase() === wanted)?.id;
}
