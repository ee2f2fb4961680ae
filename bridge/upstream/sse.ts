// Upstream answers as translated events. The SSE reading itself is shared/sse.ts (eventsource-
// parser), which the extension's chat client uses too.
import { Readable } from 'node:stream';
import { readSseData } from '../../shared/sse';
import { upstreamBodyError } from './errors';
import type { UpstreamEvent } from './events';

export { readSseData };

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
