// GET /v1/models and GET /v1/models/{id}: the account's projects as models (ids.ts), so a tool's
// model picker switches projects. Editor tools (Cline, Roo Code, Continue, provider extensions)
// list models before they chat; the OpenAI SDKs retrieve one with models.retrieve().
import { sendJson } from '../chat/respond';
import { BridgeError } from '../http/openai-error';
import type { RouteCall } from '../http/router';
import type { ProjectModels } from './catalog';

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

function modelNotFound(id: string): BridgeError {
  return new BridgeError(
    404,
    `The model '${id.slice(0, 80)}' does not exist: models are the account's projects, ` +
      "named 'customgpt-<projectId>' (GET /v1/models lists them).",
    'invalid_request_error',
    'model_not_found',
    'model',
  );
}
