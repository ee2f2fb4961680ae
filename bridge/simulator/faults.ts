// Injected faults: validated on the way in (they may arrive as JSON over the control API),
// queued in order and consumed by the requests they match. Request faults act before the
// response starts; stream faults act inside an SSE response, so a non-streaming request never
// uses up a stream fault.
import { isRecord } from '../../shared/isRecord';
import type { Fault, FaultKind } from './types';

export type RequestFault = Extract<
  Fault,
  { kind: 'status' | 'html-502' | 'reset-before-headers' | 'slow-first-byte' }
>;
export type StreamFault = Extract<
  Fault,
  { kind: 'drop-mid-stream' | 'stall' | 'malformed-event' | 'error-event' }
>;

const STREAM_KINDS: ReadonlySet<FaultKind> = new Set([
  'drop-mid-stream',
  'stall',
  'malformed-event',
  'error-event',
]);
export type CompatVariant = Extract<Fault, { kind: 'compat-variant' }>;

const REQUEST_KINDS: ReadonlySet<FaultKind> = new Set([
  'status',
  'html-502',
  'reset-before-headers',
  'slow-first-byte',
]);

export function isStreamFault(f: Fault): f is StreamFault {
  return STREAM_KINDS.has(f.kind);
}

export function isRequestFault(f: Fault): f is RequestFault {
  return REQUEST_KINDS.has(f.kind);
}

/** Default number of events a stream fault lets through first. */
export const DEFAULT_AFTER_EVENTS = 2;

export function afterEventsOf(f: StreamFault): number {
  return f.afterEvents ?? DEFAULT_AFTER_EVENTS;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);
const isString = (v: unknown) => typeof v === 'string';

/** Checks an untrusted value is a Fault; returns it, or a message saying what is wrong. */
export function parseFault(value: unknown): { fault: Fault } | { error: string } {
  if (!isRecord(value)) return { error: 'a fault must be a JSON object' };
  const { kind, match, times } = value;
  if (!optional(match, isString)) return { error: '`match` must be a string' };
  if (!optional(times, (t) => isCount(t) && t >= 1))
    return { error: '`times` must be an integer >= 1' };
  switch (kind) {
    case 'status': {
      const { status, retryAfter, body, contentType } = value;
      if (!isCount(status) || status < 100 || status > 599)
        return { error: '`status` must be 100..599' };
      if (
        !optional(retryAfter, isString) ||
        !optional(body, isString) ||
        !optional(contentType, isString)
      ) {
        return { error: '`retryAfter`, `body` and `contentType` must be strings' };
      }
      break;
    }
    case 'slow-first-byte':
      if (!isCount(value.ms)) return { error: '`ms` must be an integer >= 0' };
      break;
    case 'drop-mid-stream':
    case 'stall':
    case 'malformed-event':
    case 'error-event':
      if (!optional(value.afterEvents, isCount))
        return { error: '`afterEvents` must be an integer >= 0' };
      if (kind === 'error-event' && !optional(value.message, isString)) {
        return { error: '`message` must be a string' };
      }
      break;
    case 'html-502':
    case 'reset-before-headers':
      break;
    case 'compat-variant':
      if (!optional(value.finishReason, isString))
        return { error: '`finishReason` must be a string' };
      if (!optional(value.fields, isRecord)) return { error: '`fields` must be a JSON object' };
      break;
    default:
      return { error: `unknown fault kind: ${JSON.stringify(kind)}` };
  }
  return { fault: value as Fault };
}

interface Queued {
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  private queue: Queued[] = [];

  add(fault: Fault): void {
    this.queue.push({ fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  get size(): number {
    return this.queue.length;
  }

  /** Consumes one use of the first queued request fault matching `url` (path and query). */
  takeRequestFault(url: string): RequestFault | undefined {
    return this.take(url, isRequestFault);
  }

  /** Consumes one use of the first queued stream fault matching `url` (path and query). */
  takeStreamFault(url: string): StreamFault | undefined {
    return this.take(url, isStreamFault);
  }

  /** Consumes one use of the first queued compat variant matching `url` (path and query). */
  takeCompatVariant(url: string): CompatVariant | undefined {
    return this.take(url, (f): f is CompatVariant => f.kind === 'compat-variant');
  }

  private take<F extends Fault>(url: string, wanted: (f: Fault) => f is F): F | undefined {
    if (this.queue.length === 0) return undefined;
    const i = this.queue.findIndex(
      (q) => wanted(q.fault) && (q.fault.match === undefined || url.includes(q.fault.match)),
    );
    if (i < 0) return undefined;
    const q = this.queue[i]!;
    q.remaining--;
    if (q.remaining <= 0) this.queue.splice(i, 1);
    return q.fault as F;
  }
}
