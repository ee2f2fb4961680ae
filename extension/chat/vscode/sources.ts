// The Sources list under an answer. With customgpt.citations = "append" the bridge already wrote
// it into the text; with "field" only the final chunk's citations carry it, and the Chat view
// would show none: then the same Markdown list is added here (the bridge's own builder).
import { sourcesMarkdown } from '../../../bridge/chat/completion';
import { stripAppendedSources } from '../appendedSources';
import type { Citation } from '../chatChunk';

export function missingSources(answer: string, citations: readonly Citation[]): string {
  if (citations.length === 0 || stripAppendedSources(answer) !== answer) return '';
  return sourcesMarkdown(
    citations.map((c, i) => ({ id: Number(c.id) || i + 1, title: c.title, url: c.url })),
  );
}
