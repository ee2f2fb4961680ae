// The one HTTP client for CustomGPT.ai: an undici Pool (keep-alive, unlimited connections so a
// thousand open streams never queue behind each other; HTTP/2 when the upstream chooses it), the
// key in the Authorization header, per-call timeouts and abort. Non-2xx answers and network
// failures become BridgeErrors here, so callers only see a body they can use. Pool and its
// `request` API are imported on their own, not from the package root, which keeps the bundle
// lean (bridge/types/undici-pool.d.ts).
import Pool = require('undici/lib/dispatcher/pool');
import poolRequest = require('undici/lib/api/api-request');

import type Dispatcher from 'undici/types/dispatcher';
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
  /**
   * Offer HTTP/2 by ALPN over HTTPS (default true, as undici does): one connection carries
   * every concurrent call; HTTP/1.1 when the upstream does not choose h2, or when false.
   */
  http2?: boolean;
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

export type UpstreamBody = Dispatcher.ResponseData['body'];

export class UpstreamClient {
  readonly origin: string;
  private readonly pool: Pool;
  private readonly prefix: string;

  constructor(private readonly opts: UpstreamClientOptions) {
    const url = new URL(opts.baseUrl);
    this.origin = url.origin;
    // Accept both "https://app.customgpt.ai" and ".../api/v1" as the base.
    this.prefix = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '') + '/api/v1';
    this.pool = new Pool(this.origin, {
      connections: null,
      keepAliveTimeout: 30_000,
      headersTimeout: opts.headersTimeoutMs,
      bodyTimeout: opts.bodyTimeoutMs,
      connectTimeout: opts.headersTimeoutMs,
      allowH2: opts.http2 ?? true,
    });
  }

  get hasKey(): boolean {
    return typeof this.opts.apiKey === 'string' && this.opts.apiKey !== '';
  }

  /** Sends a call; resolves with the open body of a 2xx answer. */
  async open(call: UpstreamCall): Promise<{ status: number; body: UpstreamBody }> {
    if (!this.hasKey) throw missingKey();
    let res: Dispatcher.ResponseData;
    try {
      res = await poolRequest.call(this.pool, {
        method: call.method,
        path: this.prefix + call.path,
        headers: {
          authorization: `Bearer ${this.opts.apiKey}`,
          accept: 'application/json, text/event-stream',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: call.signal ?? null,
        ...(call.headersTimeoutMs === undefined ? {} : { headersTimeout: call.headersTimeoutMs }),
      });
    } catch (err) {
      throw this.failure(err, call);
    }
    if (res.statusCode >= 200 && res.statusCode < 300)
      return { status: res.statusCode, body: res.body };
    const text = await res.body.text().catch(() => '');
    const retryAfter = res.headers['retry-after'];
    throw upstreamStatusError(
      res.statusCode,
      Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      text,
      call.project,
    );
  }

  /** Sends a call and parses the JSON answer's `data` (CustomGPT.ai's success envelope). */
  async json<T>(call: UpstreamCall): Promise<T> {
    const { body } = await this.open(call);
    let text: string;
    try {
      text = await body.text();
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

  private failure(err: unknown, call: UpstreamCall): Error {
    if (call.signal?.aborted)
      return call.signal.reason instanceof Error ? call.signal.reason : new Error('aborted');
    if (err instanceof BridgeError) return err;
    return upstreamNetworkError(err, this.origin);
  }

  destroy(): Promise<void> {
    return this.pool.destroy();
  }
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
