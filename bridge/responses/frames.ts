// Pure builders for what a Responses API client receives: the `response` object (non-streaming
// body and the snapshots inside stream events) and the stream's SSE frames, in the documented
// order: response.created, response.in_progress, response.output_item.added,
// response.content_part.added, response.output_text.delta..., response.output_text.annotation.added...,
// response.output_text.done, response.content_part.done, response.output_item.done,
// response.completed (or response.failed). Every event carries a rising `sequence_number`.
import { randomBytes } from 'node:crypto';

export interface ResponseHead {
  id: string;
  /** The output message's id (`msg_...`). */
  messageId: string;
  created_at: number;
  model: string;
  instructions: string | null;
  previous_response_id: string | null;
}

export type ResponseAnnotation = {
  type: 'url_citation';
  url: string;
  title: string;
  start_index: number;
  end_index: number;
};

export type ResponseStatus = 'in_progress' | 'completed' | 'failed' | 'incomplete';

/** Why an answer stopped short (compat mode's finish_reason length / content_filter). */
export type IncompleteReason = 'max_output_tokens' | 'content_filter';

/** Chat's finish_reason in Responses terms: null for a complete answer. */
export function incompleteReasonOf(finishReason: string): IncompleteReason | null {
  if (finishReason === 'length') return 'max_output_tokens';
  if (finishReason === 'content_filter') return 'content_filter';
  return null;
}

/** OpenAI's ResponseError: `code` is one of its documented values, so SDKs accept it. */
export interface ResponseFailure {
  code: 'server_error' | 'rate_limit_exceeded' | 'invalid_prompt';
  message: string;
  type?: string;
  param?: string | null;
  /** The bridge's own, more specific code (e.g. upstream_timeout, customgpt_key_rejected). */
  bridge_code?: string;
}

/**
 * A bridge error in ResponseError terms: 429 -> rate_limit_exceeded, other 4xx (the request
 * itself: too large, refused) -> invalid_prompt, the rest -> server_error. The bridge's code is
 * kept alongside.
 */
export function responseFailure(
  err: { status: number; type: string; code?: string | null; param?: string | null },
  message: string,
): ResponseFailure {
  const code =
    err.status === 429
      ? 'rate_limit_exceeded'
      : err.status >= 400 && err.status < 500
        ? 'invalid_prompt'
        : 'server_error';
  return {
    code,
    message,
    type: err.type,
    param: err.param ?? null,
    ...(err.code ? { bridge_code: err.code } : {}),
  };
}

const randomId = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url')}`;

export function newResponseHead(
  model: string,
  instructions: string | null,
  previousResponseId: string | null,
): ResponseHead {
  return {
    id: randomId('resp'),
    messageId: randomId('msg'),
    created_at: Math.floor(Date.now() / 1000),
    model,
    instructions,
    previous_response_id: previousResponseId,
  };
}

function textPart(text: string, annotations: readonly ResponseAnnotation[]) {
  return { type: 'output_text', text, annotations, logprobs: [] };
}

function messageItem(
  head: ResponseHead,
  status: 'in_progress' | 'completed' | 'incomplete',
  content: unknown[],
): Record<string, unknown> {
  return { id: head.messageId, type: 'message', status, role: 'assistant', content };
}

/**
 * The `response` object. `text` undefined means no output yet (a snapshot at the start of a
 * stream); `output_text` is the SDKs' convenience field, set here for raw-HTTP clients too.
 */
export function responseObject(
  head: ResponseHead,
  status: ResponseStatus,
  text?: string,
  annotations: readonly ResponseAnnotation[] = [],
  error: ResponseFailure | null = null,
  incomplete: IncompleteReason | null = null,
): Record<string, unknown> {
  const itemStatus = status === 'completed' ? 'completed' : 'incomplete';
  const output =
    text === undefined ? [] : [messageItem(head, itemStatus, [textPart(text, annotations)])];
  return {
    id: head.id,
    object: 'response',
    created_at: head.created_at,
    status,
    background: false,
    error,
    incomplete_details: incomplete === null ? null : { reason: incomplete },
    instructions: head.instructions,
    max_output_tokens: null,
    model: head.model,
    output,
    output_text: text ?? '',
    parallel_tool_calls: false,
    previous_response_id: head.previous_response_id,
    reasoning: { effort: null, summary: null },
    // The bridge keeps only a response's conversation (for previous_response_id), not the
    // response itself: GET /v1/responses/{id} is not served.
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'none',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    // The seed's rule: CustomGPT.ai reports no token usage.
    usage: null,
    user: null,
    metadata: {},
  };
}

/** The SSE frames of one streamed response; each call returns one frame. */
export class ResponseEvents {
  private seq = 0;
  /** response.created went out: a failure without it breaks the SDKs' stream helpers. */
  private begun = false;
  /** The text streamed so far, for the snapshot of a failed response. */
  private text = '';
  private readonly at: { item_id: string; output_index: 0; content_index: 0 };

  constructor(readonly head: ResponseHead) {
    this.at = { item_id: head.messageId, output_index: 0, content_index: 0 };
  }

  private frame(type: string, fields: Record<string, unknown>): string {
    const data = JSON.stringify({ type, ...fields, sequence_number: this.seq++ });
    return `event: ${type}\ndata: ${data}\n\n`;
  }

  created(): string {
    this.begun = true;
    return this.frame('response.created', { response: responseObject(this.head, 'in_progress') });
  }

  inProgress(): string {
    return this.frame('response.in_progress', {
      response: responseObject(this.head, 'in_progress'),
    });
  }

  itemAdded(): string {
    return this.frame('response.output_item.added', {
      output_index: 0,
      item: messageItem(this.head, 'in_progress', []),
    });
  }

  partAdded(): string {
    return this.frame('response.content_part.added', { ...this.at, part: textPart('', []) });
  }

  delta(text: string): string {
    this.text += text;
    return this.frame('response.output_text.delta', { ...this.at, delta: text, logprobs: [] });
  }

  annotation(index: number, annotation: ResponseAnnotation): string {
    return this.frame('response.output_text.annotation.added', {
      ...this.at,
      annotation_index: index,
      annotation,
    });
  }

  textDone(text: string): string {
    return this.frame('response.output_text.done', { ...this.at, text, logprobs: [] });
  }

  partDone(text: string, annotations: readonly ResponseAnnotation[]): string {
    return this.frame('response.content_part.done', {
      ...this.at,
      part: textPart(text, annotations),
    });
  }

  itemDone(
    text: string,
    annotations: readonly ResponseAnnotation[],
    incomplete: IncompleteReason | null = null,
  ): string {
    return this.frame('response.output_item.done', {
      output_index: 0,
      item: messageItem(this.head, incomplete === null ? 'completed' : 'incomplete', [
        textPart(text, annotations),
      ]),
    });
  }

  /** The last event: response.completed, or response.incomplete for an answer cut short. */
  completed(
    text: string,
    annotations: readonly ResponseAnnotation[],
    incomplete: IncompleteReason | null = null,
  ): string {
    if (incomplete !== null) {
      return this.frame('response.incomplete', {
        response: responseObject(this.head, 'incomplete', text, annotations, null, incomplete),
      });
    }
    return this.frame('response.completed', {
      response: responseObject(this.head, 'completed', text, annotations),
    });
  }

  /**
   * The answer failed after the stream committed: the response ends `failed` with the error and
   * the text the client already has. A stream committed by a keep-alive ping has had no event
   * yet: response.created and response.in_progress come first, as clients expect.
   */
  failed(error: ResponseFailure): string {
    const start = this.begun ? '' : this.created() + this.inProgress();
    const text = this.text === '' ? undefined : this.text;
    return (
      start +
      this.frame('response.failed', {
        response: responseObject(this.head, 'failed', text, [], error),
      })
    );
  }
}
