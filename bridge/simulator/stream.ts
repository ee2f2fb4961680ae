// Plays a prepared list of SSE events onto a response: one write per event (so each is flushed
// as it is produced), `delayMs` apart, honouring backpressure, stopping as soon as the client
// goes away, and applying at most one stream fault at its event index.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { drained } from '../http/drained';
import { afterEventsOf, type StreamFault } from './faults';
import { cutExchange, h2Stream } from './h2';
import type { Recorder } from './recorder';
import { encodeEvent, errorEvent, MALFORMED_EVENT, type SseEvent, type SseFormat } from './sse';
import type { StreamRecord } from './types';

export interface StreamOptions {
  format: SseFormat;
  delayMs: number;
  fault: StreamFault | undefined;
}

/** Symfony's StreamedResponse appends the charset to text/* types, as the real API's does. */
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=UTF-8',
  'Cache-Control': 'no-cache, private',
  'X-Accel-Buffering': 'no',
} as const;

const DEFAULT_ERROR_MESSAGE = 'Something went wrong while generating the answer. Please try again.';

export async function streamEvents(
  res: ServerResponse,
  events: readonly SseEvent[],
  opts: StreamOptions,
  recorder: Recorder,
  path: string,
): Promise<void> {
  const record = recorder.streamStarted(path);
  let closed = false;
  res.on('close', () => {
    closed = true;
    recorder.streamEnded(record, playedOut(res) ? 'finished' : 'client-aborted');
  });
  res.writeHead(200, SSE_HEADERS);
  const { format, delayMs, fault } = opts;

  if (fault === undefined && delayMs === 0) {
    // Fast path for benchmarks: nothing to pace or break, so one write carries it all.
    let all = '';
    for (const e of events) all += encodeEvent(e, format);
    res.end(all);
    return;
  }

  const faultAt = fault ? afterEventsOf(fault) : -1;
  for (let i = 0; i <= events.length; i++) {
    if (closed) return;
    const faultNow = i === faultAt;
    if (i === events.length && !faultNow) break;
    if (i > 0 && delayMs > 0) {
      await sleep(delayMs);
      if (closed) return;
    }
    if (faultNow && fault && applyFault(res, fault, format, recorder, record) === 'stop') return;
    const event = events[i];
    if (event && !res.write(encodeEvent(event, format))) await drained(res);
  }
  if (!closed) res.end();
}

/**
 * Whether the simulator ended the response itself. Over HTTP/2 the compat response's
 * `writableFinished` is its stream's, which a client's RST_STREAM (an aborted request) can set
 * too; `writableEnded` is the simulator's own end() there.
 */
function playedOut(res: ServerResponse): boolean {
  return h2Stream(res) ? res.writableEnded : res.writableFinished;
}

/** Applies a stream fault before the event at its index; 'stop' ends the playback. */
function applyFault(
  res: ServerResponse,
  fault: StreamFault,
  format: SseFormat,
  recorder: Recorder,
  record: StreamRecord,
): 'stop' | 'continue' {
  switch (fault.kind) {
    case 'drop-mid-stream':
      recorder.streamEnded(record, 'fault');
      // FIN once what was written is flushed, without the chunked terminator: a cut-off body
      // (over HTTP/2: the stream is reset).
      cutExchange(res, 'fin');
      return 'stop';
    case 'stall':
      // Write nothing more; the client's close ends the record ('client-aborted').
      return 'stop';
    case 'malformed-event':
      res.write(encodeEvent(MALFORMED_EVENT, format));
      return 'continue';
    case 'error-event':
      recorder.streamEnded(record, 'fault');
      res.end(encodeEvent(errorEvent(fault.message ?? DEFAULT_ERROR_MESSAGE), format));
      return 'stop';
  }
}
