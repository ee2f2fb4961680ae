// MCP over Streamable HTTP at /mcp: POST carries JSON-RPC messages (answers stream back as SSE,
// so progress notifications reach the client while the upstream thinks), GET opens the
// session's server-to-client stream, DELETE ends a session. The guard in server.ts has already
// checked Host, Origin and the bearer token before any of these run.
//
// Sessions are stateful (Mcp-Session-Id), because a `notifications/cancelled` arrives in its own
// POST and must reach the call it cancels. They are bounded (count and idle time) and all closed
// when the bridge stops; a client whose session is gone gets 404 and starts a new one, as the
// spec says it must (so a bridge restart costs a client one re-initialize).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { RouteCall } from '../http/router';
import type { Logger } from '../log';

export interface McpHttpOptions {
  createServer(): McpServer;
  log: Logger;
  /** Open sessions at most; past it the least recently used one is closed. */
  maxSessions?: number;
  /** A session unused this long is closed when the next one opens. */
  idleMs?: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
}

const SESSION_HEADER = 'mcp-session-id';

export class McpHttpEndpoint {
  private readonly sessions = new Map<string, Session>();
  private readonly maxSessions: number;
  private readonly idleMs: number;

  constructor(private readonly opts: McpHttpOptions) {
    this.maxSessions = opts.maxSessions ?? 64;
    this.idleMs = opts.idleMs ?? 60 * 60 * 1000;
  }

  get size(): number {
    return this.sessions.size;
  }

  readonly post = async ({ req, res, body }: RouteCall): Promise<void> => {
    const id = sessionIdOf(req.headers[SESSION_HEADER]);
    let session = id === undefined ? undefined : this.sessions.get(id);
    if (id !== undefined && !session) return sessionNotFound(res);
    if (!session) {
      if (!isInitialize(body)) {
        return jsonRpcError(
          res,
          400,
          -32000,
          'Bad Request: send initialize first (no Mcp-Session-Id header).',
        );
      }
      session = await this.open();
    }
    session.lastUsed = Date.now();
    cancelOnClose(res, session.transport, requestIds(body));
    await session.transport.handleRequest(req, res, body);
  };

  readonly get = async (call: RouteCall): Promise<void> => {
    const session = this.named(call);
    if (!session) return;
    session.lastUsed = Date.now();
    await session.transport.handleRequest(call.req, call.res);
  };

  readonly delete = async (call: RouteCall): Promise<void> => {
    const session = this.named(call);
    if (!session) return;
    await session.transport.handleRequest(call.req, call.res);
  };

  /** Closes every session: their open calls are aborted (the upstream answers with them). */
  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.transport.close().catch(() => undefined)));
  }

  private existing(header: string | string[] | undefined): Session | undefined {
    const id = sessionIdOf(header);
    return id === undefined ? undefined : this.sessions.get(id);
  }

  /** GET and DELETE name a session: 400 without the header, 404 for one that is gone. */
  private named({ req, res }: RouteCall): Session | undefined {
    const header = req.headers[SESSION_HEADER];
    if (sessionIdOf(header) === undefined) {
      jsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required.');
      return undefined;
    }
    const session = this.existing(header);
    if (!session) sessionNotFound(res);
    return session;
  }

  private async open(): Promise<Session> {
    this.evict();
    const server = this.opts.createServer();
    const session: Session = {
      server,
      lastUsed: Date.now(),
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => {
          this.sessions.set(sid, session);
        },
        onsessionclosed: (sid) => {
          this.sessions.delete(sid);
        },
      }),
    };
    session.transport.onclose = () => {
      const sid = session.transport.sessionId;
      if (sid !== undefined && this.sessions.get(sid) === session) this.sessions.delete(sid);
    };
    server.server.onerror = (err) => this.opts.log.debug('mcp session error', { err: String(err) });
    await server.connect(session.transport);
    return session;
  }

  /** Makes room for one more session: drops idle ones, then the least recently used. */
  private evict(): void {
    const now = Date.now();
    const byAge = [...this.sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    let open = byAge.length;
    for (const [sid, s] of byAge) {
      if (now - s.lastUsed < this.idleMs && open < this.maxSessions) break;
      this.sessions.delete(sid);
      s.transport.close().catch(() => undefined);
      open--;
    }
  }
}

/**
 * A client that closes its POST before the answer came back no longer wants it: the calls in
 * that POST are cancelled exactly as a `notifications/cancelled` would cancel them, so the
 * upstream answer stops too.
 */
function cancelOnClose(
  res: ServerResponse,
  transport: StreamableHTTPServerTransport,
  ids: readonly (string | number)[],
): void {
  if (ids.length === 0) return;
  res.once('close', () => {
    if (res.writableFinished) return;
    for (const requestId of ids) {
      const cancelled: JSONRPCMessage = {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId, reason: 'The client closed the HTTP request.' },
      };
      transport.onmessage?.(cancelled);
    }
  });
}

/** The ids of the JSON-RPC requests (not notifications or responses) in a POST body. */
export function requestIds(body: unknown): (string | number)[] {
  const messages = Array.isArray(body) ? body : [body];
  const ids: (string | number)[] = [];
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const { id, method } = m as { id?: unknown; method?: unknown };
    if (typeof method === 'string' && (typeof id === 'string' || typeof id === 'number')) {
      ids.push(id);
    }
  }
  return ids;
}

function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some(
    (m) =>
      typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize',
  );
}

function sessionIdOf(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && header !== '' ? header : undefined;
}

function sessionNotFound(res: ServerResponse): void {
  jsonRpcError(res, 404, -32001, 'Session not found: start a new session with initialize.');
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  const text = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
