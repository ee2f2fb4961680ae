// Server-sent events, read with eventsource-parser (a maintained, spec-exact parser: CRLF/CR/LF
// line ends, `event:` and `id:` lines, comments, multi-line data, fields split across network
// chunks). A streaming TextDecoder keeps multi-byte UTF-8 characters that straddle two chunks
// intact. The one SSE reader of the project: the bridge reads the upstream's events with it, the
// extension's chat panel the bridge's chunks.
import { createParser } from 'eventsource-parser';

/**
 * Yields the `data` of each SSE event in `body`, in order. Leaving the loop early returns the
 * body's iterator (a web ReadableStream is then cancelled).
 */
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
  // A last event without its blank line still counts: the sender finished sending it.
  parser.feed('\n\n');
  for (const data of pending) yield data;
}
