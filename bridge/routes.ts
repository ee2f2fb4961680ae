// What the bridge serves, in one table read top to bottom. Every route but the health check
// needs the bearer token; Host and Origin are checked before any route (server.ts). A path not
// listed here is a 404 with an OpenAI error body, as the seed says.
import type { ChatDeps } from './chat/handler';
import { handleChat } from './chat/handler';
import { health, infoEndpoint, projectEndpoint, projectsEndpoint } from './control/endpoints';
import { feedbackEndpoint } from './feedback/endpoint';
import { FEEDBACK_PATH } from './feedback/request';
import type { Route, RouteCall } from './http/router';
import { modelsEndpoint } from './models/list';
import type { InfoBody } from './protocol';
import type { UpstreamClient } from './upstream/client';
import type { ProjectDirectory } from './upstream/projects';

export interface RouteDeps {
  chat: ChatDeps;
  projects: ProjectDirectory;
  info: () => Promise<InfoBody>;
  /** For the pass-through endpoints (message feedback). */
  upstream: UpstreamClient;
}

/** One project's facts (model, example questions) for the extension's chat. */
const BRIDGE_PROJECT = /^\/bridge\/projects\/([A-Za-z0-9_-]{1,64})\/?$/;

/** CustomGPT.ai's own path form: the path's project answers. */
const PROJECT_CHAT = /^\/api\/v1\/projects\/([A-Za-z0-9_-]{1,64})\/chat\/completions\/?$/;

export function bridgeRoutes(deps: RouteDeps): Route[] {
  const chat = ({ req, res, body, params }: RouteCall) =>
    handleChat(deps.chat, req, res, body, params[0]);
  const models = modelsEndpoint(deps.projects, deps.chat.project);
  return [
    // OpenAI chat completions (the seed), at the SDK's paths and CustomGPT.ai's own.
    { method: 'POST', path: '/v1/chat/completions', body: 'json', handle: chat },
    { method: 'POST', path: '/chat/completions', body: 'json', handle: chat },
    { method: 'POST', path: PROJECT_CHAT, body: 'json', handle: chat },
    // Models (beyond the seed: editor tools list models first).
    { method: 'GET', path: '/v1/models', handle: models },
    { method: 'GET', path: '/models', handle: models },
    // Message feedback (thumbs up/down), at CustomGPT.ai's own path: the prompt id comes from
    // an answer's x-customgpt-prompt-id header or its final chunk's `prompt_id`.
    { method: 'PUT', path: FEEDBACK_PATH, body: 'json', handle: feedbackEndpoint(deps.upstream) },
    // The bridge's own endpoints (the VS Code extension, scripts).
    { method: 'GET', path: '/bridge/health', open: true, handle: health },
    { method: 'GET', path: '/bridge/info', handle: infoEndpoint(deps.info) },
    { method: 'GET', path: '/bridge/projects', handle: projectsEndpoint(deps.projects) },
    { method: 'GET', path: BRIDGE_PROJECT, handle: projectEndpoint(deps.projects) },
  ];
}
