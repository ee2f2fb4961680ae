// The bridge's own endpoints, for the VS Code extension and scripts: health (open, so a window
// can tell whether a bridge holds the port), info, and the account's projects page by page.
import { sendJson } from '../chat/respond';
import { identityAnswer } from '../http/identity';
import { BridgeError } from '../http/openai-error';
import type { RouteCall } from '../http/router';
import type { HealthBody, InfoBody } from '../protocol';
import type { ProjectDirectory } from '../upstream/projects';
import { VERSION } from '../version';

const HEALTH: HealthBody = { ok: true, service: 'customgpt-bridge', version: VERSION };

export function health({ res }: RouteCall): void {
  sendJson(res, 200, HEALTH);
}

export function infoEndpoint(info: () => Promise<InfoBody>) {
  return async ({ res }: RouteCall): Promise<void> => sendJson(res, 200, await info());
}

/** GET /bridge/projects/{id}: the project's model and example questions (path group 1). */
export function projectEndpoint(projects: ProjectDirectory) {
  return async ({ res, params }: RouteCall): Promise<void> => {
    sendJson(res, 200, await projects.settings(params[0] ?? ''));
  };
}

export function projectsEndpoint(projects: ProjectDirectory) {
  return async ({ res, query }: RouteCall): Promise<void> => {
    const raw = new URLSearchParams(query).get('page');
    const page = raw === null ? 1 : Number(raw);
    if (!Number.isInteger(page) || page < 1 || page > 100_000) {
      throw new BridgeError(
        400,
        "'page' must be a positive integer.",
        'invalid_request_error',
        'invalid_value',
        'page',
      );
    }
    sendJson(res, 200, await projects.page(page));
  };
}

/** GET /bridge/identity?nonce=N: open, so a window can check the token holder before using it. */
export function identityEndpoint(identity: () => { token: string; port: number }) {
  return ({ res, query }: RouteCall): void => {
    const { token, port } = identity();
    const answer = identityAnswer(query, token, port);
    sendJson(res, answer.status, answer.body);
  };
}
