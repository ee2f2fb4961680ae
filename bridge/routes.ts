// What the bridge serves, in one table read top to bottom. Every route but the health check
// needs the bearer token; Host and Origin are checked before any route (server.ts). A path not
// listed here is a 404 with an OpenAI error body (the seed's rule, for the endpoints beyond
// these), naming what is served.
import type { ChatDeps } from './chat/handler';
import { handleChat } from './chat/handler';
import { sendJson } from './chat/respond';
import {
  health,
  identityEndpoint,
  infoEndpoint,
  projectEndpoint,
  projectsEndpoint,
} from './control/endpoints';
import { feedbackEndpoint } from './feedback/endpoint';
import { FEEDBACK_PATH } from './feedback/request';
import { IDENTITY_PATH } from './http/identity';
import type { Route, RouteCall } from './http/router';
import type { LazyMcpEndpoint } from './mcp/lazy';
import type { ProjectModels } from './models/catalog';
import { listModelsEndpoint, retrieveModelEndpoint } from './models/endpoints';
import type { InfoBody, ProjectBody } from './protocol';
import { handleResponses } from './responses/handler';
import type { ResponseMemory } from './responses/memory';
import { responseNotStored } from './responses/unstored';
import type { UpstreamClient } from './upstream/client';
import type { ProjectDirectory } from './upstream/projects';

export interface RouteDeps {
  chat: ChatDeps;
  projects: ProjectDirectory;
  models: ProjectModels;
  responses: ResponseMemory;
  info: () => Promise<InfoBody>;
  /** The token and listening port, for the identity proof. */
  identity: () => { token: string; port: number };
  /** The running project's name and example questions (control/project.ts). */
  projectInfo: () => Promise<ProjectBody>;
  mcp: LazyMcpEndpoint;
  /** For the pass-through endpoints (message feedback). */
  upstream: UpstreamClient;
}

/** One project's facts (model, example questions) for the extension's chat. */
const BRIDGE_PROJECT = /^\/bridge\/projects\/([A-Za-z0-9_-]{1,64})\/?$/;

/** CustomGPT.ai's own path form: the path's project answers. */
const PROJECT_CHAT = /^\/api\/v1\/projects\/([A-Za-z0-9_-]{1,64})\/chat\/completions\/?$/;
const MODEL = /^(?:\/v1)?\/models\/([^/]{1,200})$/;
const RESPONSE = /^(?:\/v1)?\/responses\/([^/]{1,200})$/;

export function bridgeRoutes(deps: RouteDeps): Route[] {
  const chat = ({ req, res, body, params }: RouteCall) =>
    handleChat(deps.chat, req, res, body, params[0]);
  const responses = ({ req, res, body }: RouteCall) =>
    handleResponses({ chat: deps.chat, memory: deps.responses }, req, res, body);
  const models = listModelsEndpoint(deps.models);
  return [
    // OpenAI chat completions (the seed), at the SDK's paths and CustomGPT.ai's own.
    { method: 'POST', path: '/v1/chat/completions', body: 'json', handle: chat },
    { method: 'POST', path: '/chat/completions', body: 'json', handle: chat },
    { method: 'POST', path: PROJECT_CHAT, body: 'json', handle: chat },
    // The Responses API (Vercel AI SDK's default, OpenAI Agents SDK, Codex CLI); responses are
    // not stored, so retrieving one answers a 404 that says why.
    { method: 'POST', path: '/v1/responses', body: 'json', handle: responses },
    { method: 'POST', path: '/responses', body: 'json', handle: responses },
    { method: 'GET', path: RESPONSE, handle: responseNotStored },
    // Models: the account's projects, `customgpt-<projectId>` (editor tools list models first).
    { method: 'GET', path: '/v1/models', handle: models },
    { method: 'GET', path: '/models', handle: models },
    { method: 'GET', path: MODEL, handle: retrieveModelEndpoint(deps.models) },
    // MCP over Streamable HTTP: the project as a tool for agents (bridge/mcp/).
    { method: 'POST', path: '/mcp', body: 'json', handle: deps.mcp.post },
    { method: 'GET', path: '/mcp', handle: deps.mcp.get },
    { method: 'DELETE', path: '/mcp', handle: deps.mcp.delete },
    // Message feedback (thumbs up/down), at CustomGPT.ai's own path: the prompt id comes from
    // an answer's x-customgpt-prompt-id header or its final chunk's `prompt_id`.
    { method: 'PUT', path: FEEDBACK_PATH, body: 'json', handle: feedbackEndpoint(deps.upstream) },
    // The bridge's own endpoints (the VS Code extension, scripts).
    { method: 'GET', path: '/bridge/health', open: true, handle: health },
    // The identity proof (http/identity.ts): open, it reveals only an HMAC of the caller's nonce.
    {
      method: 'GET',
      path: IDENTITY_PATH,
      open: true,
      handle: identityEndpoint(deps.identity),
    },
    { method: 'GET', path: '/bridge/info', handle: infoEndpoint(deps.info) },
    {
      method: 'GET',
      path: '/bridge/project',
      handle: async ({ res }) => sendJson(res, 200, await deps.projectInfo()),
    },
    { method: 'GET', path: '/bridge/projects', handle: projectsEndpoint(deps.projects) },
    { method: 'GET', path: BRIDGE_PROJECT, handle: projectEndpoint(deps.projects) },
  ];
}
