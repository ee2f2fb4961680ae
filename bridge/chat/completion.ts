// Pure builders for what the client receives: the non-streaming `chat.completion` object and
// the SSE frames of a `chat.completion.chunk` stream. Stream frames are assembled from
// per-stream constant prefixes so each text delta costs one JSON.stringify of the text.
import { randomBytes } from 'node:crypto';
import { PROMPT_ID_FIELD } from '../protocol';
import { plainTitle, safeHttpUrl } from '../upstream/safe-links';
import { escapeLinkText, escapeMarkdownText, markdownLinkDestination } from './markdown';

export interface Citation {
  id: number;
  title: string | null;
  url: string | null;
}

/** The `finish_reason` values the bridge sends (`stop` unless the upstream said otherwise). */
export type FinishReason = 'stop' | 'length' | 'content_filter';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface CompletionHead {
  id: string;
  created: number;
  model: string;
}

/** Completion ids come from a pool of random bytes refilled every 256 ids: one syscall, not 256. */
const ID_BYTES = 12;
const POOL_IDS = 256;
let idPool = Buffer.alloc(0);
let idOffset = 0;

function newCompletionId(): string {
  if (idOffset >= idPool.length) {
    idPool = randomBytes(ID_BYTES * POOL_IDS);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return `chatcmpl-${id}`;
}

export function newHead(model: string): CompletionHead {
  return {
    id: newCompletionId(),
    created: Math.floor(Date.now() / 1000),
    model,
  };
}

export function completionBody(
  head: CompletionHead,
  content: string,
  citations: Citation[] | undefined,
  finishReason: FinishReason = 'stop',
  annotations: readonly unknown[] = [],
): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content };
  if (annotations.length > 0) message.annotations = annotations;
  const body: Record<string, unknown> = {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
  };
  if (citations) body.citations = citations;
  return body;
}

export const DONE_FRAME = 'data: [DONE]\n\n';
export const PING_FRAME = ': ping\n\n';

/** SSE frames of one stream; the constant parts are built once. */
export class ChunkFrames {
  private readonly open: string;
  private readonly contentOpen: string;
  private readonly contentClose = '},"finish_reason":null,"logprobs":null}]}\n\n';

  constructor(readonly head: CompletionHead) {
    this.open =
      `data: {"id":${JSON.stringify(head.id)},"object":"chat.completion.chunk",` +
      `"created":${head.created},"model":${JSON.stringify(head.model)},`;
    this.contentOpen = `${this.open}"choices":[{"index":0,"delta":{"content":`;
  }

  /** The first frame: openai-node's stream helper needs `role` on the first delta. */
  role(): string {
    return `${this.open}"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"logprobs":null}]}\n\n`;
  }

  content(text: string): string {
    return this.contentOpen + JSON.stringify(text) + this.contentClose;
  }

  /**
   * The last chunk: `finish_reason`, the answer's `annotations` on its delta, and `promptId`
   * (the upstream message id, for feedback: the headers left before it was known).
   */
  finish(
    reason: FinishReason,
    citations: Citation[] | undefined,
    annotations: readonly unknown[] = [],
    promptId?: number,
  ): string {
    let extra = citations ? `,"citations":${JSON.stringify(citations)}` : '';
    if (promptId !== undefined) extra += `,"${PROMPT_ID_FIELD}":${promptId}`;
    const delta = annotations.length > 0 ? `{"annotations":${JSON.stringify(annotations)}}` : '{}';
    return `${this.open}"choices":[{"index":0,"delta":${delta},"finish_reason":"${reason}","logprobs":null}]${extra}}\n\n`;
  }

  usage(usage: Usage): string {
    return `${this.open}"choices":[],"usage":${JSON.stringify(usage)}}\n\n`;
  }
}

export function errorFrame(error: { message: string; type: string; code: string | null }): string {
  return `data: ${JSON.stringify({ error: { ...error, param: null } })}\n\n`;
}

/**
 * The Markdown "Sources" list appended to answers when citations are shown inline. Titles are
 * escaped, so they render as plain text; only http(s) URLs become links (the resolver already
 * dropped any other, this checks again so the list is safe whatever a caller passes in).
 */
export function sourcesMarkdown(citations: readonly Citation[]): string {
  const lines: string[] = [];
  for (const c of citations) {
    const url = safeHttpUrl(c.url);
    const label = plainTitle(c.title) ?? url ?? `Source ${c.id}`;
    const n = lines.length + 1;
    lines.push(
      url
        ? `${n}. [${escapeLinkText(label)}](${markdownLinkDestination(url)})`
        : `${n}. ${escapeMarkdownText(label)}`,
    );
  }
  return lines.length === 0 ? '' : `\n\n**Sources**\n${lines.join('\n')}`;
}
