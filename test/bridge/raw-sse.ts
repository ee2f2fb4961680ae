// A deliberately naive SSE reader for asserting on the bridge's raw wire output (independent of
// the SDK and of the bridge's own parser). Handles LF and CRLF, comments and multi-line data.
import assert from 'node:assert/strict';

export interface RawSse {
  /** The `data` of each event, in order (multi-line data joined by "\n"). */
  data: string[];
  /** Comment lines (without the leading ':'), in order. */
  comments: string[];
  /** Every event and comment in arrival order, as `data:<...>` or `comment:<...>`. */
  sequence: string[];
}

export function parseRawSse(text: string): RawSse {
  const out: RawSse = { data: [], comments: [], sequence: [] };
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) {
      const data = lines.join('\n');
      out.data.push(data);
      out.sequence.push(`data:${data}`);
    }
    lines = [];
  };
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (line === '') flush();
    else if (line.startsWith(':')) {
      out.comments.push(line.slice(1));
      out.sequence.push(`comment:${line.slice(1)}`);
    } else if (line.startsWith('data:')) {
      const v = line.slice(5);
      lines.push(v.startsWith(' ') ? v.slice(1) : v);
    }
  }
  flush();
  return out;
}

/** The JSON-parsed data events, excluding the `[DONE]` sentinel. */
export function jsonEvents(sse: RawSse): unknown[] {
  return sse.data
    .filter((d) => d !== '[DONE]')
    .map((d) => {
      try {
        return JSON.parse(d) as unknown;
      } catch {
        return assert.fail(`SSE data is not JSON: ${d.slice(0, 200)}`);
      }
    });
}

/**
 * Reads a streaming response body until `enough(textSoFar)` holds, then cancels the body.
 * Returns the text read. Fails if the body ends first.
 */
export async function readUntil(res: Response, enough: (text: string) => boolean): Promise<string> {
  assert.ok(res.body, 'response has a body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) assert.fail(`stream ended before the expected content; got: ${text.slice(-500)}`);
      text += decoder.decode(value, { stream: true });
      if (enough(text)) return text;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The `choices[0].delta.content` of each chunk event ('' when absent). */
export function deltaContents(sse: RawSse): string[] {
  return jsonEvents(sse).map((e) => {
    if (typeof e !== 'object' || e === null) return '';
    const choices = (e as { choices?: unknown }).choices;
    const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
    const delta: unknown =
      typeof first === 'object' && first !== null
        ? (first as { delta?: unknown }).delta
        : undefined;
    const content: unknown =
      typeof delta === 'object' && delta !== null ? (delta as { content?: unknown }).content : '';
    return typeof content === 'string' ? content : '';
  });
}

/** Only the complete events of a partial body (up to the last blank line). */
export function completeEvents(text: string): RawSse {
  const cut = Math.max(text.lastIndexOf('\n\n'), text.lastIndexOf('\r\n\r\n'));
  return parseRawSse(cut < 0 ? '' : text.slice(0, cut + 2));
}

/**
 * Reads a stream until the first `: ping` comment after some data, then stops reading: the
 * milliseconds between the last data chunk and that ping (the silence the client heard).
 */
export async function silenceBeforePing(res: Response): Promise<number> {
  if (!res.body) throw new Error('no response body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let lastDataAt = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before a ping');
      const now = performance.now();
      const chunk = decoder.decode(value, { stream: true });
      if (/^: ?ping/m.test(chunk) && lastDataAt > 0) return now - lastDataAt;
      if (/^data:/m.test(chunk)) lastDataAt = now;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
