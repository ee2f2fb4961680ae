// What the MCP tools need from the rest of the bridge: the shared upstream (the same backend,
// project directory and citation resolver the chat endpoint uses) and a few settings.
import type { ActivityHub } from '../activity';
import type { Logger } from '../log';
import type { Backend } from '../upstream/backend';
import type { CitationResolver } from '../upstream/citations';
import type { ProjectDirectory } from '../upstream/projects';
import { fetchProjectSources, type SourcesPage } from '../upstream/sources';
import type { Upstream } from '../upstream/stack';

export interface McpDeps {
  backend: Backend;
  projects: ProjectDirectory;
  citations: CitationResolver;
  sources(
    project: string,
    page: number,
    perPage: number,
    signal: AbortSignal,
  ): Promise<SourcesPage>;
  /** The configured project: ask_project and list_project_sources default to it. */
  project: string | undefined;
  /** Native mode resolves citations and continues conversations; compat mode does neither. */
  native: boolean;
  log: Logger;
  redact(text: string): string;
  /** The HTTP bridge's activity channel (status bar); none in stdio mode. */
  activity?: ActivityHub;
  /** Aborted when the bridge's shutdown grace period ends. */
  shutdown?: AbortSignal;
}

/** The MCP deps from the shared upstream (upstream/stack.ts) and the surface's settings. */
export function mcpDepsOf(
  upstream: Upstream,
  settings: Omit<McpDeps, 'backend' | 'projects' | 'citations' | 'sources'>,
): McpDeps {
  return {
    backend: upstream.backend,
    projects: upstream.projects,
    citations: upstream.citations,
    sources: (project, page, perPage, signal) =>
      fetchProjectSources(upstream.client, project, page, perPage, signal),
    ...settings,
  };
}
