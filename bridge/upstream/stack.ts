// The one upstream every surface shares (chat completions, Responses, MCP, and whatever comes
// next): the HTTP client, project facts, citations, remembered sessions and the answering backend
// for the configured mode, with native mode's spare conversations. Built here once, so the HTTP
// bridge and the MCP stdio server behave the same.
import type { BridgeConfig } from '../config';
import type { Backend } from './backend';
import { CitationResolver } from './citations';
import { UpstreamClient } from './client';
import { CompatBackend } from './compat';
import { ConversationPool } from './conversation-pool';
import { NativeBackend } from './native';
import { ProjectDirectory } from './projects';
import { SessionMemory } from './sessions';

export interface Upstream {
  client: UpstreamClient;
  projects: ProjectDirectory;
  citations: CitationResolver;
  sessions: SessionMemory;
  backend: Backend;
  /** Native mode's spare conversations (conversation-pool.ts); close() deletes the unused ones. */
  spares: ConversationPool | undefined;
}

export interface UpstreamOptions {
  /**
   * Keep spare conversations (native mode, unless --no-spare-conversations), reporting their
   * failures here. Without it none are made: a process that cannot clean up at exit keeps none.
   */
  onSpareError?: (what: string, err: unknown) => void;
}

export function createUpstream(
  config: BridgeConfig,
  baseUrl: string,
  apiKey: string | undefined,
  options: UpstreamOptions = {},
): Upstream {
  const client = new UpstreamClient({
    baseUrl,
    apiKey,
    headersTimeoutMs: config.upstreamTimeoutMs,
    bodyTimeoutMs: config.streamIdleTimeoutMs,
    http2: config.upstreamHttp2,
  });
  const sessions = new SessionMemory(config.sessionMax, config.sessionTtlMs);
  // A JSON answer arrives whole: allow for the time to start plus the time to write it.
  const answerTimeoutMs = config.upstreamTimeoutMs + config.streamIdleTimeoutMs;
  let backend: Backend;
  let spares: ConversationPool | undefined;
  if (config.upstreamMode === 'native') {
    const { onSpareError } = options;
    if (config.spareConversations && onSpareError) {
      spares = new ConversationPool(client, (p, name) => native.createConversation(p, name), {
        onError: onSpareError,
      });
    }
    const native = new NativeBackend(client, sessions, answerTimeoutMs, spares);
    backend = native;
  } else {
    backend = new CompatBackend(client, answerTimeoutMs);
  }
  return {
    client,
    projects: new ProjectDirectory(client),
    citations: new CitationResolver(client),
    sessions,
    backend,
    spares,
  };
}
