// node:http server: the guard, the route table (routes.ts) and the raw-socket answers.
// Host and Origin are checked before anything else; then the route's token rule; then routes
// with a JSON body count against the concurrency limit while they run.
//   WS /bridge/activity is the one upgrade route.
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type { ActivityHub } from './activity';
import { clientName } from './answer/lifecycle';
import { sendError } from './chat/respond';
import { readJsonBody } from './http/body';
import type { Guard } from './http/guard';
import { asBridgeError, BridgeError, notFound } from './http/openai-error';
import { matchRoute, type Route } from './http/router';
import type { Logger } from './log';
import { ACTIVITY_PATH } from './protocol';

export interface ServerDeps {
  routes: readonly Route[];
  guard: Guard;
  activity: ActivityHub;
  log: Logger;
  redact: (s: string) => string;
  bodyLimitBytes: number;
  maxConcurrent: number;
  requestTimeoutMs: number;
  /** Called as a request with a body (chat, responses, MCP) starts: the bridge is busy again. */
  onWork?: () => void;
}

export interface BridgeServer {
  server: Server;
  /** Requests with a body (chat, responses) in flight. */
  inFlight(): number;
}

export function createBridgeServer(deps: ServerDeps): BridgeServer {
  let inFlight = 0;
  const server = createServer(
    {
      requestTimeout: deps.requestTimeoutMs,
      headersTimeout: Math.min(deps.requestTimeoutMs, 20_000),
      keepAliveTimeout: 5_000,
      // Node checks request timeouts only this often (30 s by default): slow-drip clients
      // would hold connections far past requestTimeoutMs.
      connectionsCheckingInterval: Math.max(
        250,
        Math.min(1000, Math.floor(deps.requestTimeoutMs / 4)),
      ),
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      route(req, res).catch((err: unknown) => {
        deps.log.error('unhandled request error', { err });
        if (!res.headersSent) sendError(res, asBridgeError(err), deps.redact);
        else res.destroy();
      });
    },
  );

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    const started = Date.now();
    try {
      deps.guard.checkSource(req);
      if (method === 'OPTIONS') return preflight(req, res);
      const match = matchRoute(deps.routes, method, path);
      // Unknown paths need the token too: a caller without it learns nothing of the routes.
      if (!match?.route.open) deps.guard.checkToken(req);
      allowOrigin(req, res);
      if (!match) throw notFound(method, path);
      const call = { req, res, params: match.params, query: q === -1 ? '' : url.slice(q + 1) };
      if (match.route.body !== 'json') {
        await match.route.handle({ ...call, body: undefined });
        return;
      }
      if (inFlight >= deps.maxConcurrent) {
        throw new BridgeError(
          429,
          `The bridge is serving ${deps.maxConcurrent} requests already; retry in a moment.`,
          'rate_limit_error',
          'bridge_overloaded',
          null,
          { 'retry-after': '1' },
        );
      }
      inFlight++;
      deps.onWork?.();
      try {
        let body: unknown;
        try {
          body = await readJsonBody(req, deps.bodyLimitBytes);
        } catch (err) {
          // The rest of an oversized or refused body is not read: close the connection.
          res.setHeader('connection', 'close');
          throw err;
        }
        await match.route.handle({ ...call, body });
      } finally {
        inFlight--;
      }
    } catch (err) {
      const e = asBridgeError(err);
      sendError(res, e, deps.redact);
      // Refused before (or outside) an answer's own record: a wrong token, an unknown route, a
      // full bridge, a body too large or not JSON. The editor sees these too (issue 9, item 1).
      const message = deps.redact(e.message);
      deps.activity.rejected(clientName(req), e.status, Date.now() - started, message, e);
    }
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    // checkSource already refused foreign origins; an allowed one gets the CORS answer.
    const origin = req.headers.origin;
    if (origin === undefined) throw notFound('OPTIONS', req.url ?? '/');
    res.writeHead(204, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
      // Reflect what the page asks for (openai-node adds x-stainless-* headers); the Origin check
      // above already decided who may ask.
      'access-control-allow-headers': requestedHeaders(req),
      'access-control-max-age': '600',
      vary: 'origin',
    });
    res.end();
  }

  function allowOrigin(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin === undefined) return;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader(
      'access-control-expose-headers',
      'x-customgpt-session-id, x-customgpt-prompt-id, mcp-session-id',
    );
    res.setHeader('vary', 'origin');
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== ACTIVITY_PATH) throw notFound('GET', path ?? '/');
      deps.guard.checkSource(req);
      deps.guard.checkToken(req);
      deps.activity.accept(req, socket, head);
    } catch (err) {
      rejectRaw(socket, asBridgeError(err));
    }
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Malformed requests, oversized headers, timeouts: answer if the socket is still usable.
    if (!socket.writable) return socket.destroy();
    rejectRaw(socket, clientErrorOf(err));
  });

  return { server, inFlight: () => inFlight };
}

/** An OpenAI error written straight to a socket that has no ServerResponse (upgrades, parse errors). */
function rejectRaw(socket: Duplex, err: BridgeError): void {
  const text = JSON.stringify(err.body());
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
      `connection: close\r\n\r\n${text}`,
  );
}

function clientErrorOf(err: NodeJS.ErrnoException): BridgeError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new BridgeError(
        431,
        'Request headers are too large (16 KiB at most).',
        'invalid_request_error',
        'headers_too_large',
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new BridgeError(
        408,
        'The request was not received in time.',
        'invalid_request_error',
        'request_timeout',
      );
    default:
      return new BridgeError(
        400,
        `Malformed HTTP request (${err.code ?? 'parse error'}).`,
        'invalid_request_error',
        'bad_request',
      );
  }
}

const BASE_CORS_HEADERS = 'authorization, content-type, x-customgpt-session-id';

function requestedHeaders(req: IncomingMessage): string {
  const asked = req.headers['access-control-request-headers'];
  return typeof asked === 'string' && /^[\w-]+(\s*,\s*[\w-]+)*$/.test(asked.trim())
    ? asked.trim()
    : BASE_CORS_HEADERS;
}
