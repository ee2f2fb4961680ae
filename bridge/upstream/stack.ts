// The one upstream every surface shares (chat completions, MCP, and whatever comes next): the
// HTTP client, project facts, citations, remembered sessions and the answering backend for the
// configured mode. Built here once, so the HTTP bridge and the MCP stdio server behave the same.
import type { BridgeConfig } from '../config';
import type { Backend } from './backend';
import { CitationResolver } from './citations';
import { UpstreamClient } from './client';
import { CompatBackend } from './compat';
import { NativeBackend } from './native';
import { ProjectDirectory } from './projects';
import { SessionMemory } from './sessions';

export interface Upstream {
  client: UpstreamClient;
  projects: ProjectDirectory;
  citations: CitationResolver;
  sessions: SessionMemory;
  backend: Backend;
}

export function createUpstream(
  config: BridgeConfig,
  baseUrl: string,
  apiKey: string | undefined,
): Upstream {
  const client = new UpstreamClient({
    baseUrl,
    apiKey,
    headersTimeoutMs: config.upstreamTimeoutMs,
    bodyTimeoutMs: config.streamIdleTimeoutMs,
  });
  const sessions = new SessionMemory(config.sessionMax, config.sessionTtlMs);
  // A JSON answer arrives whole: allow for the time to start plus the time to write it.
  const answerTimeoutMs = config.upstreamTimeoutMs + config.streamIdleTimeoutMs;
  const backend: Backend =
    config.upstreamMode === 'compat'
      ? new CompatBackend(client, answerTimeoutMs)
      : new NativeBackend(client, sessions, answerTimeoutMs);
  return {
    client,
    projects: new ProjectDirectory(client),
    citations: new CitationResolver(client),
    sessions,
    backend,
  };
}
