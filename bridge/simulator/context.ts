// What a request handler works with: the simulator's state (one per running simulator) and
// the exchange (one per request), plus the options with their defaults resolved.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildCatalog, type Catalog } from './catalog';
import { CitationOverrides } from './citation-overrides';
import { ConversationStore } from './conversations';
import { FaultQueue } from './faults';
import { Recorder } from './recorder';
import type { SseFormat } from './sse';
import type { SimulatorOptions } from './types';

export const DEFAULT_SIM_KEY = 'sim-key';

export interface ResolvedOptions {
  port: number;
  host: string;
  apiKey: string;
  projectCount: number;
  perPage: number;
  chunkSize: number;
  chunkDelayMs: number;
  firstByteDelayMs: number;
  connectDelayMs: number;
  format: SseFormat;
}

export interface SimState {
  readonly opts: ResolvedOptions;
  /** 'http://host:port', known once listening; page URLs and error envelopes are built on it. */
  baseUrl: string;
  readonly catalog: Catalog;
  readonly conversations: ConversationStore;
  readonly faults: FaultQueue;
  /** Citation pages tests rewrote (served in place of the knowledge base's). */
  readonly citations: CitationOverrides;
  readonly recorder: Recorder;
  /** Questions answered so far (GET /limits/usage reports it as current_queries). */
  queries: number;
}

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  /** The absolute request URL, as error envelopes report it. */
  readonly url: string;
}

function count(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`simulator option ${name} must be an integer in ${min}..${max}, got ${v}`);
  }
  return v;
}

export function resolveOptions(o: SimulatorOptions = {}): ResolvedOptions {
  const apiKey = o.apiKey ?? DEFAULT_SIM_KEY;
  if (apiKey === '') throw new RangeError('simulator option apiKey must not be empty');
  return {
    port: count('port', o.port, 0, 0, 65535),
    host: o.host ?? '127.0.0.1',
    apiKey,
    projectCount: count('projectCount', o.projectCount, 3, 0, 100_000),
    perPage: count('perPage', o.perPage, 10, 1, 10_000),
    chunkSize: count('chunkSize', o.chunkSize, 8, 1, 1_000_000),
    chunkDelayMs: count('chunkDelayMs', o.chunkDelayMs, 5, 0, 600_000),
    firstByteDelayMs: count('firstByteDelayMs', o.firstByteDelayMs, 0, 0, 600_000),
    connectDelayMs: count('connectDelayMs', o.connectDelayMs, 0, 0, 600_000),
    format: { eventNames: o.eventNames ?? false, crlf: o.crlf ?? false },
  };
}

export function createState(opts: ResolvedOptions): SimState {
  const catalog = buildCatalog(opts.projectCount);
  return {
    opts,
    baseUrl: '',
    catalog,
    conversations: new ConversationStore(catalog.user.id),
    faults: new FaultQueue(),
    citations: new CitationOverrides(),
    recorder: new Recorder(),
    queries: 0,
  };
}
