// The simulator's public contract: its options, what it records, the faults it can inject and
// the handle `startSimulator` returns. Demo mode, tests and benchmarks are written against these.

export interface SimulatorOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * Default 'sim-key'. Every /api/v1 request needs `Authorization: Bearer <apiKey>`, else the
   * 401 envelope "API Token is either missing or invalid".
   */
  apiKey?: string;
  /** Default 3; project ids 1001, 1002, ...; project 1001 is "Acme Rocket Docs" (the demo project). */
  projectCount?: number;
  /** GET /projects page size, default 10. */
  perPage?: number;
  /** Characters per streamed progress event, default 8. */
  chunkSize?: number;
  /** Delay between streamed events, default 5 (0 = as fast as possible). */
  chunkDelayMs?: number;
  /** Delay before response headers of any /api/v1 request, default 0. */
  firstByteDelayMs?: number;
  /**
   * Delay before a new connection is served, default 0: with firstByteDelayMs, a distant
   * upstream (TCP set-up costs one round trip; over TLS give two, handshake included).
   */
  connectDelayMs?: number;
  /** Serve HTTPS with this PEM certificate and key (tests and benchmarks: a throwaway pair). */
  tls?: { cert: string; key: string };
  /**
   * With `tls`: serve HTTP/2 (node:http2, offered first in ALPN) and HTTP/1.1 to clients that do
   * not offer h2. Default false (HTTPS is HTTP/1.1 only).
   */
  http2?: boolean;
  /** Also emit `event: <status>` lines in native SSE (default false: data-only like the docs). */
  eventNames?: boolean;
  /** Use \r\n line endings in SSE (default false). */
  crlf?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON (or form) body; the raw text when it does not parse; undefined when empty. */
  body: unknown;
  /** Date.now() on arrival. */
  at: number;
  /** Whether the request carried the simulator's bearer key. */
  authorized: boolean;
  /** '1.1' or '2.0' (--http2 over TLS, when the client chose h2). */
  httpVersion?: string;
}

/** One PUT .../messages/{promptId}/feedback the simulator accepted. */
export interface FeedbackRecord {
  projectId: number;
  sessionId: string;
  promptId: number;
  reaction: 'neutral' | 'disliked' | 'liked';
  at: number;
}

export type Fault = {
  /** Substring of the request path (query included); absent = any /api/v1 request. */
  match?: string;
  /** How many matching requests it applies to; default 1. */
  times?: number;
} & (
  | { kind: 'status'; status: number; retryAfter?: string; body?: string; contentType?: string }
  | { kind: 'html-502' }
  | { kind: 'reset-before-headers' }
  | { kind: 'drop-mid-stream'; afterEvents?: number }
  | { kind: 'stall'; afterEvents?: number }
  | { kind: 'slow-first-byte'; ms: number }
  | { kind: 'malformed-event'; afterEvents?: number }
  | { kind: 'error-event'; afterEvents?: number; message?: string }
  /**
   * Compat endpoint only (`/chat/completions`, streaming or not): the answer ends with this
   * `finish_reason` (e.g. 'length') instead of 'stop', and `fields` are added to every chunk
   * (or to the JSON completion), e.g. `{"error": null}`.
   */
  | { kind: 'compat-variant'; finishReason?: string; fields?: Record<string, unknown> }
);

export type FaultKind = Fault['kind'];

export interface StreamRecord {
  path: string;
  startedAt: number;
  endedAt?: number;
  /**
   * 'finished': the simulator ended the stream normally; 'client-aborted': the client closed
   * first (this includes a stalled stream the client gave up on); 'fault': an injected
   * drop-mid-stream or error-event ended it.
   */
  outcome?: 'finished' | 'client-aborted' | 'fault';
}

export interface Simulator {
  /** 'http://127.0.0.1:PORT' (no path). */
  url: string;
  port: number;
  apiKey: string;
  /** Every request received (the /__sim control API excepted), in arrival order, capped. */
  requests: RecordedRequest[];
  /** Every SSE response, capped. */
  streams: StreamRecord[];
  /** Every message feedback accepted, in arrival order, capped. */
  feedback: FeedbackRecord[];
  openStreams(): number;
  /** Queued; applied to the next matching request(s). Throws on a malformed fault. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /**
   * Serves `page` fields (over the knowledge base's page, if any) for citation `id` from now on.
   * Throws on a malformed page.
   */
  setCitation(
    id: number,
    page: Partial<Record<'url' | 'title' | 'description' | 'image', string | null>>,
  ): void;
  clearCitations(): void;
  /** Clears requests, streams, faults and citation overrides (conversations stay). */
  reset(): void;
  /** Closes the server and destroys open sockets. */
  close(): Promise<void>;
}
