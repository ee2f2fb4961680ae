// The simulator's HTTP server: plain node:http, one pass per request:
//   record -> (control API) -> request fault / first-byte delay -> auth -> route.
// It is the "direct" baseline of the benchmarks, so the per-request path stays short.
// With `tls` it is node:https; with `tls` and `http2`, node:http2 (HTTP/1.1 too, by ALPN),
// whose compatibility API hands the same handlers a request and response (h2.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCitationOverride } from './citation-overrides';
import { createState, resolveOptions, type SimState } from './context';
import { CONTROL_PREFIX, handleControl, resetState } from './control';
import { parseFault, type RequestFault } from './faults';
import { cutExchange, responseGone } from './h2';
import { hasBearer, parseBody, parseQuery, readBody, splitUrl } from './request';
import { defaultMessage, failure, MESSAGES, sendError, sendHtml502 } from './responses';
import { API_PREFIX, route } from './router';
import type { RecordedRequest, Simulator, SimulatorOptions } from './types';

/** Room for a thousand clients connecting at once. */
const LISTEN_BACKLOG = 2048;

export async function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  const opts = resolveOptions(options);
  const state = createState(opts);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, state).catch((err: unknown) => failHard(res, state, err));
  };
  const { server, closeAll } = createHttpServer(options, onRequest);
  // A distant upstream's connection set-up: accepted here, served after the delay.
  const front = opts.connectDelayMs > 0 ? delayedFront(server, opts.connectDelayMs) : undefined;
  const listener = front ?? server;
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ port: opts.port, host: opts.host, backlog: LISTEN_BACKLOG }, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const { port } = listener.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  state.baseUrl = `${options?.tls ? 'https' : 'http'}://${host}:${port}`;

  return {
    url: state.baseUrl,
    port,
    apiKey: opts.apiKey,
    requests: state.recorder.requests,
    streams: state.recorder.streams,
    feedback: state.recorder.feedback,
    openStreams: () => state.recorder.openStreams(),
    injectFault(fault) {
      const parsed = parseFault(fault);
      if ('error' in parsed) throw new TypeError(`invalid fault: ${parsed.error}`);
      state.faults.add(parsed.fault);
    },
    clearFaults: () => state.faults.clear(),
    setCitation(id, page) {
      const parsed = parseCitationOverride(page);
      if ('error' in parsed) throw new TypeError(`invalid citation: ${parsed.error}`);
      state.citations.set(id, parsed.override);
    },
    clearCitations: () => state.citations.clear(),
    reset: () => resetState(state),
    close: () =>
      new Promise<void>((resolve) => {
        front?.close();
        server.close(() => resolve());
        // Open streams (stalled ones included) would otherwise keep close() waiting.
        closeAll();
      }),
  };
}

type OnRequest = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * node:http, node:https or node:http2, the last two only when asked for: the bridge bundles
 * the simulator (demo mode), and TLS costs its memory at start.
 */
function createHttpServer(
  options: SimulatorOptions | undefined,
  onRequest: OnRequest,
): { server: NetServer; closeAll: () => void } {
  if (options?.tls && options.http2) {
    const { createSecureServer } = require('node:http2') as typeof import('node:http2');
    // The compat request/response serve in node:http's stead (h2.ts names the differences).
    const server = createSecureServer(
      { ...options.tls, allowHTTP1: true },
      onRequest as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void,
    );
    // No closeAllConnections() on an HTTP/2 server: its sockets are tracked and destroyed.
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    return {
      server,
      closeAll: () => {
        for (const socket of sockets) socket.destroy();
      },
    };
  }
  const server: Server = options?.tls
    ? (require('node:https') as typeof import('node:https')).createServer(
        { ...options.tls, keepAlive: true, noDelay: true },
        onRequest,
      )
    : createServer({ keepAlive: true, noDelay: true }, onRequest);
  return { server, closeAll: () => server.closeAllConnections() };
}

/** A listener that hands each accepted socket to `server` only after `delayMs`. */
function delayedFront(server: NetServer, delayMs: number): NetServer {
  return createNetServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
    const timer = setTimeout(() => {
      server.emit('connection', socket);
      // Accepted paused (nothing is read during the delay); node:http does not resume it.
      socket.resume();
    }, delayMs);
    socket.once('close', () => clearTimeout(timer));
    socket.on('error', () => socket.destroy());
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, state: SimState): Promise<void> {
  const rawUrl = req.url ?? '/';
  const method = req.method ?? 'GET';
  const { path, search } = splitUrl(rawUrl);
  const contentType = req.headers['content-type'];

  if (path.startsWith(CONTROL_PREFIX)) {
    handleControl(res, state, method, path, parseBody(await readBody(req), contentType));
    return;
  }

  const query = parseQuery(search);
  const authorized = hasBearer(req.headers.authorization, state.opts.apiKey);
  // Recorded on arrival (body filled in once read) so the log keeps arrival order.
  const record: RecordedRequest = {
    method,
    path,
    query,
    body: undefined,
    at: Date.now(),
    authorized,
    httpVersion: req.httpVersion,
  };
  state.recorder.request(record);
  const body = parseBody(await readBody(req), contentType);
  record.body = body;
  const url = state.baseUrl + rawUrl;

  if (!path.startsWith(API_PREFIX)) {
    sendError(res, url, 404, 'Not Found');
    return;
  }
  const fault = state.faults.takeRequestFault(rawUrl);
  const delayMs = state.opts.firstByteDelayMs + (fault?.kind === 'slow-first-byte' ? fault.ms : 0);
  if (delayMs > 0) {
    await sleep(delayMs);
    if (responseGone(res)) return;
  }
  if (fault && applyRequestFault(req, res, url, fault) === 'handled') return;
  if (!authorized) {
    sendError(res, url, 401, MESSAGES.unauthorized);
    return;
  }
  await route({ req, res, method, path, query, body, url }, state);
}

function applyRequestFault(
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  fault: RequestFault,
): 'handled' | 'continue' {
  switch (fault.kind) {
    case 'status': {
      const text =
        fault.body ?? JSON.stringify(failure(url, fault.status, defaultMessage(fault.status)));
      res.writeHead(fault.status, {
        'Content-Type': fault.contentType ?? 'application/json',
        'Content-Length': Buffer.byteLength(text),
        ...(fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {}),
      });
      res.end(text);
      return 'handled';
    }
    case 'html-502':
      sendHtml502(res);
      return 'handled';
    case 'reset-before-headers':
      // RST rather than FIN: the client sees ECONNRESET, as when a load balancer drops it
      // (over HTTP/2: the stream is reset, the connection's other streams live on).
      cutExchange(req, 'reset');
      return 'handled';
    case 'slow-first-byte':
      return 'continue';
  }
}

/** A bug in the simulator: answer 500 if nothing was sent yet, else cut the response. */
function failHard(res: ServerResponse, state: SimState, err: unknown): void {
  process.stderr.write(
    `simulator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  if (!res.headersSent) sendError(res, state.baseUrl, 500, MESSAGES.internal);
  else res.destroy();
}
