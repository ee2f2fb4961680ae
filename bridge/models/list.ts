// GET /v1/models: editor tools (Cline, Roo Code, Continue, provider extensions) list models
// before they chat; the bridge names the project's own model.
import { sendJson } from '../chat/respond';
import type { RouteCall } from '../http/router';
import { FALLBACK_MODEL, type ProjectDirectory } from '../upstream/projects';

export function modelsEndpoint(projects: ProjectDirectory, project: string | undefined) {
  return async ({ res }: RouteCall): Promise<void> => {
    const id = project ? await projects.modelOrFallback(project) : FALLBACK_MODEL;
    sendJson(res, 200, {
      object: 'list',
      data: [
        {
          id,
          object: 'model',
          created: 0,
          owned_by: project ? `customgpt-project-${project}` : FALLBACK_MODEL,
        },
      ],
    });
  };
}
