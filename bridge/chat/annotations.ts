// Citations in OpenAI's standard shape: `url_citation` annotations whose indices point into the
// answer text. When the answer ends with a Sources list (sourcesMarkdown, one line per citation,
// in order), each annotation spans its own line of that list; otherwise (citations as a field
// only) each spans the whole answer. Indices count UTF-16 code units, as JavaScript strings do.
// Only http(s) links become annotations: clients turn them into clickable sources.
import type { Citation } from './completion';

export interface CitationSpan {
  url: string;
  title: string;
  start_index: number;
  end_index: number;
}

const SOURCES_HEADING = '**Sources**\n';

/**
 * The spans of `citations` in `text`. `sourcesStart` is where the appended Sources list begins
 * in `text` (undefined when none was appended).
 */
export function citationSpans(
  text: string,
  citations: readonly Citation[] | undefined,
  sourcesStart?: number,
): CitationSpan[] {
  if (!citations || citations.length === 0) return [];
  const lines = sourcesStart === undefined ? undefined : sourceLines(text, sourcesStart);
  const spans: CitationSpan[] = [];
  citations.forEach((c, i) => {
    if (!c.url || !/^https?:\/\//i.test(c.url)) return;
    // One line per citation is sourcesMarkdown's promise; if it ever breaks, fall back to
    // annotating the answer itself rather than pointing at the wrong line.
    const line = lines?.length === citations.length ? lines[i] : undefined;
    const [start, end] = line ?? [0, sourcesStart ?? text.length];
    spans.push({ url: c.url, title: c.title ?? c.url, start_index: start, end_index: end });
  });
  return spans;
}

/** [start, end) of each entry line of the Sources list that begins at `from`. */
function sourceLines(text: string, from: number): Array<[number, number]> | undefined {
  const heading = text.indexOf(SOURCES_HEADING, from);
  if (heading === -1) return undefined;
  const lines: Array<[number, number]> = [];
  let start = heading + SOURCES_HEADING.length;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    if (end > start) lines.push([start, end]);
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}

/** Chat completions' shape: `message.annotations` / `delta.annotations`. */
export function chatAnnotations(spans: readonly CitationSpan[]) {
  return spans.map((s) => ({ type: 'url_citation' as const, url_citation: { ...s } }));
}

/** The Responses API's shape: flat, on `output_text` parts. */
export function responseAnnotations(spans: readonly CitationSpan[]) {
  return spans.map((s) => ({ type: 'url_citation' as const, ...s }));
}
