// Projects as models: the one mapping between a CustomGPT.ai project and the model id OpenAI
// clients see (`customgpt-<projectId>`). Pure and dependency-free: the bridge (routing a request
// to a project, listing models) and the extension (tool snippets, Select Project) both use it.

export const MODEL_ID_PREFIX = 'customgpt-';

/** Project ids are CustomGPT.ai's integer ids; anything else is not a project model id. */
const PROJECT_MODEL_ID = /^customgpt-(\d{1,15})$/;

/** The model id that names a project, e.g. `customgpt-1001`. */
export function projectModelId(projectId: string | number): string {
  return `${MODEL_ID_PREFIX}${projectId}`;
}

/**
 * The project a request's `model` names, or undefined for any other value (the seed's rule:
 * such a model is ignored and the default project answers).
 */
export function projectOfModel(model: unknown): string | undefined {
  if (typeof model !== 'string') return undefined;
  return PROJECT_MODEL_ID.exec(model.trim())?.[1];
}
