// GET /v1/models and GET /v1/models/{id}: the account's projects as models (ids.ts), so a tool's
// model picker switches projects. Editor tools (Cline, Roo Code, Continue, provider extensions)
// list models before they chat; the OpenAI SDKs retrieve one with models.retrieve().
import { sendJson } from '../chat/respond';
import type { RouteCall } from '../http/router';
import type { ProjectModels } from './catalog';
import { modelNotFound } from './errors';

export function listModelsEndpoint(models: ProjectModels) {
  return async ({ res }: RouteCall): Promise<void> => {
    sendJson(res, 200, { object: 'list', data: await models.list() });
  };
}

export function retrieveModelEndpoint(models: ProjectModels) {
  return async ({ res, params }: RouteCall): Promise<void> => {
    const id = decoded(params[0] ?? '');
    const model = await models.find(id);
    if (!model) throw modelNotFound(id);
    sendJson(res, 200, model);
  };
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes: no project id has them, so it is simply not found
  }
}
