// The per-call facts a tool needs from the MCP request, taken out of the SDK's `extra` once
// (server.ts) so the tools stay plain functions that tests can call without a transport.
import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { Citation } from '../../chat/completion';

export interface ToolContext {
  /** Aborted on notifications/cancelled, a closed HTTP request or a closed session. */
  signal: AbortSignal;
  progressToken: string | number | undefined;
  notify(n: ServerNotification): Promise<void>;
  /** The client's name for logs and the activity channel, e.g. "MCP Visual Studio Code". */
  client: string;
  /** Keeps an answer's cited pages readable as this session's resources (citedPages.ts). */
  cited?(project: string, citations: readonly Citation[]): void;
}
