// Server-sent events from the upstream, read with eventsource-parser (a maintained, spec-exact
// parser: CRLF/CR/LF line ends, `event:` and `id:` lines, comments, multi-line data, fields
// split across network chunks). A streaming TextDecoder keeps multi-byte UTF-8 characters that
// straddle two chunks intact.
import { Readable } from 'node:stream';
import { createParser } from 'eventsource-parser';
import { upstreamBodyError } from './errors';
import type { UpstreamEvent } from './events';

/** Yields the `data` of each SSE event in `body`, in order. */
export async function* readSseData(
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string, void, undefined> {
  const pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of body) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (pending.length > 0) {
      for (const data of pending) yield data;
      pending.length = 0;
    }
  }
  const tail = decoder.decode();
  if (tail) parser.feed(tail);
  // A last event without its blank line still counts: the upstream finished sending it.
  parser.feed('\n\n');
  for (const data of pending) yield data;
}

/**
 * The events of one upstream answer, translated, up to and including its `finish` or `error`.
 * `atCleanEnd` stands in for a stream that closed without either.
 */
export async function* relayEvents(
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
  translate: (data: string) => UpstreamEvent | readonly UpstreamEvent[],
  atCleanEnd: UpstreamEvent,
): AsyncGenerator<UpstreamEvent> {
  // Leaving the loop early (after `finish`) must not destroy the body: that builds an AbortError
  // per answer and closes a keep-alive connection. Drain the rest instead; a client abort still
  // destroys it through the request's signal.
  const readable = body instanceof Readable ? body : undefined;
  const source = readable ? readable.iterator({ destroyOnReturn: false }) : body;
  try {
    for await (const data of readSseData(source)) {
      if (signal.aborted) return;
      const translated = translate(data);
      for (const event of Array.isArray(translated) ? translated : [translated]) {
        if (event.kind === 'skip') continue;
        yield event;
        if (event.kind === 'finish' || event.kind === 'error') return;
      }
    }
  } catch (err) {
    // The client leaving aborts the body too: that is not the upstream's failure.
    if (signal.aborted) throw err;
    throw upstreamBodyError(err);
  } finally {
    if (readable && !readable.destroyed) readable.resume();
  }
  if (!signal.aborted) yield atCleanEnd;
}
