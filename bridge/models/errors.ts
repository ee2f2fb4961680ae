// Errors about a `model` that names a project (customgpt-<projectId>): said in terms of the
// model the client sent, not of the bridge's --project setting.
import { BridgeError } from '../http/openai-error';

export function modelNotFound(id: string): BridgeError {
  return new BridgeError(
    404,
    `The model '${id.slice(0, 80)}' does not exist: models are the account's projects, ` +
      "named 'customgpt-<projectId>' (GET /v1/models lists them).",
    'invalid_request_error',
    'model_not_found',
    'model',
  );
}

/**
 * A request whose project came from its `model`: the upstream's "project not found" becomes
 * OpenAI's model_not_found naming `model` (the client chose the project, not --project).
 */
export function asModelError(err: BridgeError, model: string): BridgeError {
  if (err.code !== 'project_not_found') return err;
  return new BridgeError(
    404,
    `The model '${model.slice(0, 80)}' names a CustomGPT.ai project this key cannot reach (not ` +
      'found). GET /v1/models lists the projects the bridge can answer with.',
    'invalid_request_error',
    'model_not_found',
    'model',
  );
}
