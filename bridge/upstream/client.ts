// The one HTTP client for CustomGPT.ai: node's own http/https with a keep-alive Agent (no
// connection limit, so a thousand open streams never queue behind each other), the key in the
// Authorization header, per-call timeouts and abort. Non-2xx answers and network failures
// become BridgeErrors here, so callers only see a body they can use.
//
// Why node:http and not undici: undici's HTTP/1 parser is WebAssembly, and compiling and
// instantiating it costs the bridge about 17 MB of resident memory for its whole life, and
// most of the peak with a thousand open streams; node:http uses the llhttp already inside the
// node binary. The price, measured side by side on loopback: roughly 0.05 ms more CPU per
// request under concurrency (undici's client is leaner), i.e. lower closed-loop throughput at
// 64 connections. For an editor's bridge the footprint matters more (README, "Memory"); going
// back is this one file. HTTP/2 (undici's allowH2) was therefore not adopted either: the
// connections it would save are opened at start by the warm-up (upstream/warmup.ts).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { BridgeError } from '../http/openai-error';
import { upstreamBodyError, upstreamNetworkError, upstreamStatusError } from './errors';
import { upstreamMessage } from './events';

export interface UpstreamClientOptions {
  baseUrl: string;
  apiKey: string | undefined;
  /** Time to the response headers (and to connect). */
  headersTimeoutMs: number;
  /** Longest silence between body chunks, streams included: a stalled stream ends as 504. */
  bodyTimeoutMs: number;
}

export interface UpstreamCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Names the project in a 404 message. */
  project?: string;
  /** Overrides the client's time-to-headers limit (a JSON answer arrives whole, so later). */
  headersTimeoutMs?: number;
}

/** A 2xx answer's body, readable as a stream (async iteration) of Buffers. */
export type UpstreamBody = IncomingMessage;

/** Idle keep-alive connections are closed after this long (the upstream may close sooner). */
const IDLE_SOCKET_MS = 30_000;

/**
 * Timeout errors carry the codes upstream/errors.ts maps to 504 (the names are undici's, whose
 * client this one replaced).
 */
const HEADERS_TIMEOUT = 'UND_ERR_HEADERS_TIMEOUT';
const BODY_TIMEOUT = 'UND_ERR_BODY_TIMEOUT';

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export class UpstreamClient {
  readonly origin: string;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly prefix: string;
  private readonly host: string;
  private readonly port: string;

  constructor(private readonly opts: UpstreamClientOptions) {
    const url = new URL(opts.baseUrl);
    this.origin = url.origin;
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port;
    // Accept both "https://app.customgpt.ai" and ".../api/v1" as the base.
    this.prefix = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '') + '/api/v1';
    const agentOptions = {
      keepAlive: true,
      timeout: IDLE_SOCKET_MS,
      // The most recently used connection first: the warmest, the least likely to be stale.
      scheduling: 'lifo' as const,
      // No Nagle delay: a request's headers and body must not wait for an ACK.
      noDelay: true,
    };
    if (url.protocol === 'https:') {
      // Loaded only for an https upstream (tls and https cost about 8 MB of resident memory).
      const https = require('node:https') as typeof import('node:https');
      this.agent = new https.Agent(agentOptions);
      this.send = https.request as typeof httpRequest;
    } else {
      this.agent = new HttpAgent(agentOptions);
      this.send = httpRequest;
    }
  }

  get hasKey(): boolean {
    return typeof this.opts.apiKey === 'string' && this.opts.apiKey !== '';
  }

  /** Sends a call; resolves with the open body of a 2xx answer. */
  async open(call: UpstreamCall): Promise<{ status: number; body: UpstreamBody }> {
    if (!this.hasKey) throw missingKey();
    let res: IncomingMessage;
    try {
      res = await this.exchange(call);
    } catch (err) {
      throw this.failure(err, call);
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return { status, body: res };
    const text = await readText(res).catch(() => '');
    const retryAfter = res.headers['retry-after'];
    throw upstreamStatusError(status, retryAfter, text, call.project);
  }

  /** Sends a call and parses the JSON answer's `data` (CustomGPT.ai's success envelope). */
  async json<T>(call: UpstreamCall): Promise<T> {
    const { body } = await this.open(call);
    let text: string;
    try {
      text = await readText(body);
    } catch (err) {
      if (call.signal?.aborted) throw this.failure(err, call);
      throw upstreamBodyError(err);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BridgeError(
        502,
        'CustomGPT.ai sent an unreadable answer.',
        'server_error',
        'upstream_stream_error',
      );
    }
    const envelope = parsed as { status?: unknown; data?: unknown } | null;
    if (envelope?.status === 'error') {
      // An error envelope behind a 2xx status: the answer failed all the same.
      throw new BridgeError(
        502,
        upstreamMessage(envelope) ?? 'CustomGPT.ai reported an error.',
        'server_error',
        'upstream_stream_error',
      );
    }
    return (envelope?.data === undefined ? parsed : envelope.data) as T;
  }

  /** One request: resolves at the response headers; the body then has its idle timeout. */
  private exchange(call: UpstreamCall): Promise<IncomingMessage> {
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${this.opts.apiKey}`,
      accept: 'application/json, text/event-stream',
    };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = this.send({
        host: this.host,
        port: this.port,
        method: call.method,
        path: this.prefix + call.path,
        headers,
        agent: this.agent,
        ...(call.signal ? { signal: call.signal } : {}),
      });
      // Connecting and waiting for the headers share one limit, as undici's did.
      const limit = call.headersTimeoutMs ?? this.opts.headersTimeoutMs;
      const timer = setTimeout(
        () => req.destroy(codedError('no response headers in time', HEADERS_TIMEOUT)),
        limit,
      );
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.once('response', (res) => {
        clearTimeout(timer);
        const socket = res.socket;
        // Silence between body chunks. The agent puts back its idle timeout once the socket
        // is free; this listener goes with the response.
        const stalled = () => res.destroy(codedError('the body stalled', BODY_TIMEOUT));
        socket.setTimeout(this.opts.bodyTimeoutMs);
        socket.on('timeout', stalled);
        res.once('close', () => socket.off('timeout', stalled));
        // A body error with nobody reading it yet must not be an uncaught 'error' event.
        res.on('error', () => undefined);
        resolve(res);
      });
      req.end(payload);
    });
  }

  private failure(err: unknown, call: UpstreamCall): Error {
    if (call.signal?.aborted)
      return call.signal.reason instanceof Error ? call.signal.reason : new Error('aborted');
    if (err instanceof BridgeError) return err;
    return upstreamNetworkError(err, this.origin);
  }

  async destroy(): Promise<void> {
    this.agent.destroy();
  }
}

/** The whole body as UTF-8 text (events, not async iteration: cheaper per request). */
export function readText(body: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    body.once('error', reject);
    // Destroyed without an error (an abort): the body is cut off all the same.
    body.once('close', () => {
      if (!body.complete) reject(new Error('the body was cut off'));
    });
  });
}

export function missingKey(): BridgeError {
  return new BridgeError(
    401,
    'No CustomGPT.ai API key is configured. Set the CUSTOMGPT_API_KEY environment variable before ' +
      "starting the bridge (in VS Code: run 'CustomGPT: Set API Key'), or start it with --demo to try " +
      'simulated answers.',
    'authentication_error',
    'customgpt_key_missing',
  );
}
