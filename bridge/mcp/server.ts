// The MCP server definition: the bridge's three tools over the shared upstream. One McpServer
// per MCP session (Streamable HTTP) or per process (stdio); the tools are plain functions in
// tools/, this file only declares them and adapts the SDK's per-request `extra`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../version';
import { CitedPages, registerCitedPages } from './citedPages';
import type { McpDeps } from './deps';
import {
  ASK_PROJECT,
  askProject,
  askProjectDescription,
  askProjectInput,
  askProjectOutput,
} from './tools/askProject';
import type { ToolContext } from './tools/context';
import {
  LIST_PROJECT_SOURCES,
  listProjectSources,
  listProjectSourcesDescription,
  listProjectSourcesInput,
  listProjectSourcesOutput,
} from './tools/listProjectSources';
import {
  LIST_PROJECTS,
  listProjects,
  listProjectsDescription,
  listProjectsInput,
  listProjectsOutput,
} from './tools/listProjects';

export const MCP_SERVER_NAME = 'customgpt-bridge';

const INSTRUCTIONS =
  "Tools for the user's CustomGPT.ai projects (agents trained on their own documents). Call " +
  'ask_project for answers grounded in a project, with citations; list_projects and ' +
  'list_project_sources to find the right project first.';

export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, title: 'CustomGPT.ai', version: VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  const cited = new CitedPages();
  registerCitedPages(server, cited);
  const context = (extra: {
    signal: AbortSignal;
    _meta?: { progressToken?: string | number };
    sendNotification: ToolContext['notify'];
  }): ToolContext => ({
    signal: extra.signal,
    progressToken: extra._meta?.progressToken,
    notify: extra.sendNotification,
    client: `MCP ${server.server.getClientVersion()?.name ?? 'client'}`.slice(0, 60),
    cited: (project, citations) => cited.remember(project, citations),
  });

  server.registerTool(
    ASK_PROJECT,
    {
      title: 'Ask a CustomGPT.ai project',
      description: askProjectDescription,
      inputSchema: askProjectInput,
      outputSchema: askProjectOutput,
      // It reads the project's knowledge; it writes only a conversation to the user's own
      // account, and the same question may well get a different answer: not idempotent.
      annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: false },
    },
    (args, extra) => askProject(deps, args, context(extra)),
  );
  server.registerTool(
    LIST_PROJECTS,
    {
      title: 'List CustomGPT.ai projects',
      description: listProjectsDescription,
      inputSchema: listProjectsInput,
      outputSchema: listProjectsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true },
    },
    (args) => listProjects(deps, args),
  );
  server.registerTool(
    LIST_PROJECT_SOURCES,
    {
      title: "List a CustomGPT.ai project's documents",
      description: listProjectSourcesDescription,
      inputSchema: listProjectSourcesInput,
      outputSchema: listProjectSourcesOutput,
      annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true },
    },
    (args, extra) => listProjectSources(deps, args, context(extra)),
  );
  return server;
}
