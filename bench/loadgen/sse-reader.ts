// Reads an OpenAI chat-completion SSE body as it arrives and notes, for each content chunk, the
// time the network read that completed it came in. Minimal on purpose (data-only events, as
// every target here sends): the generator must cost little per event to not be the bottleneck.

export interface ContentChunk {
  text: string;
  /** performance.now() of the read that completed the event. */
  at: number;
}

export class SseReader {
  readonly chunks: ContentChunk[] = [];
  sawDone = false;
  error: string | undefined;
  private buffer = '';

  /** Feeds one network read; `at` is when it arrived. */
  feed(text: string, at: number): void {
    this.buffer += text;
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      this.event(this.buffer.slice(0, end), at);
      this.buffer = this.buffer.slice(end + 2);
      end = this.buffer.indexOf('\n\n');
    }
  }

  private event(raw: string, at: number): void {
    for (const line of raw.split('\n')) {
      const l = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (!l.startsWith('data:')) continue; // comments (": ping") and other fields
      const data = l.slice(l[5] === ' ' ? 6 : 5);
      if (data === '[DONE]') {
        this.sawDone = true;
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        this.error ??= `unparsable event: ${data.slice(0, 80)}`;
        continue;
      }
      const text = contentOf(parsed);
      if (text === null) this.error ??= `error event: ${data.slice(0, 200)}`;
      else if (text !== '') this.chunks.push({ text, at });
    }
  }
}

/** The delta's content, '' when it carries none, or null for an error event. */
function contentOf(event: unknown): string | null {
  if (typeof event !== 'object' || event === null) return '';
  const e = event as { error?: unknown; choices?: unknown };
  if (e.error !== undefined) return null;
  if (!Array.isArray(e.choices)) return '';
  const choice: unknown = e.choices[0];
  if (typeof choice !== 'object' || choice === null) return '';
  const delta = (choice as { delta?: unknown }).delta;
  if (typeof delta !== 'object' || delta === null) return '';
  const content = (delta as { content?: unknown }).content;
  return typeof content === 'string' ? content : '';
}
