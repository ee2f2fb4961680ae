// Reads one upstream answer the same way for every OpenAI surface (chat completions, Responses):
// text deltas as they come, the finish reason, citations resolved at the end and (citation
// style "append") a Sources list added to the text, the spans annotations point at, and the
// upstream message id (for feedback).
import { type CitationSpan, citationSpans } from '../chat/annotations';
import { type Citation, type FinishReason, sourcesMarkdown } from '../chat/completion';
import type { CitationStyle } from '../config';
import { BridgeError } from '../http/openai-error';
import type { AnswerStream } from '../upstream/backend';
import type { CitationResolver } from '../upstream/citations';

export interface ReaderDeps {
  citations: CitationResolver;
  citationStyle: CitationStyle;
  /** Native mode resolves citations; compat mode has none. */
  resolvesCitations: boolean;
}

export interface ReadAnswer {
  /** The whole text as the client received it (with the Sources list, if appended). */
  text: string;
  citations: Citation[] | undefined;
  finishReason: FinishReason;
  spans: CitationSpan[];
  /** The upstream message id (native mode), which message feedback names. */
  promptId: number | undefined;
}

/**
 * Reads `answer` to its end. `onText` sees each piece of text the client is to receive, in order
 * (upstream deltas, then the Sources list), and may wait (backpressure) or throw (client gone).
 */
export async function readAnswer(
  deps: ReaderDeps,
  project: string,
  answer: AnswerStream,
  onText: (text: string) => Promise<void> | void = () => undefined,
): Promise<ReadAnswer> {
  let text = '';
  let citations: Citation[] | undefined;
  let finishReason: FinishReason = 'stop';
  let promptId: number | undefined;
  for await (const ev of answer.events) {
    if (ev.kind === 'delta') {
      text += ev.text;
      await onText(ev.text);
    } else if (ev.kind === 'error') {
      throw midAnswerError(ev.message);
    } else if (ev.kind === 'finish') {
      finishReason = ev.reason ?? 'stop';
      promptId = ev.promptId;
      citations = deps.resolvesCitations
        ? await deps.citations.resolve(project, ev.citationIds)
        : undefined;
    }
  }
  const answerEnd = text.length;
  if (citations && citations.length > 0 && deps.citationStyle === 'append') {
    const sources = sourcesMarkdown(citations);
    text += sources;
    await onText(sources);
  }
  const spans = citationSpans(text, citations, text.length > answerEnd ? answerEnd : undefined);
  return { text, citations, finishReason, spans, promptId };
}

export function midAnswerError(message: string): BridgeError {
  return new BridgeError(502, message, 'server_error', 'upstream_stream_error');
}
