// Pure translation of upstream stream events into what the bridge relays. Both upstream modes
// (CustomGPT.ai's native message stream and its own OpenAI-compatible stream) map onto the same
// small vocabulary, so one responder serves both.
import type { FinishReason } from '../chat/completion';

export type UpstreamEvent =
  | { kind: 'delta'; text: string }
  | {
      kind: 'finish';
      citationIds: number[];
      sessionId?: string;
      /** Why the upstream stopped, when it said (compat mode); absent means 'stop'. */
      reason?: FinishReason;
      /** The upstream message id (native mode), which message feedback names. */
      promptId?: number;
    }
  | { kind: 'error'; message: string }
  | { kind: 'skip' };

const SKIP: UpstreamEvent = { kind: 'skip' };

/**
 * Native `/conversations/{id}/messages?stream=true` events: `{"status":"start"|"progress"|
 * "finish"|"error", ...}`. Keyed on `status`, whatever the SSE `event:` name says.
 */
export function translateNativeEvent(data: string): UpstreamEvent {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return { kind: 'error', message: 'CustomGPT.ai sent a malformed stream event.' };
  }
  if (typeof event !== 'object' || event === null) return SKIP;
  const e = event as Record<string, unknown>;
  switch (e.status) {
    case 'progress':
      return typeof e.message === 'string' && e.message !== ''
        ? { kind: 'delta', text: e.message }
        : SKIP;
    case 'finish': {
      const finish: UpstreamEvent = { kind: 'finish', citationIds: citationIds(e.citations) };
      if (typeof e.session_id === 'string') finish.sessionId = e.session_id;
      const promptId = promptIdOf(e.id);
      if (promptId !== undefined) finish.promptId = promptId;
      return finish;
    }
    case 'error':
      return {
        kind: 'error',
        message: upstreamMessage(e) ?? 'CustomGPT.ai reported an error mid-answer.',
      };
    default:
      return SKIP;
  }
}

/**
 * CustomGPT.ai's own `/chat/completions` stream: OpenAI-like chunks whose deltas lack `role`,
 * possibly without `finish_reason` or `[DONE]`. The text is kept and the bridge re-frames it; a
 * chunk with a `finish_reason` ends the answer with that reason (`length` must reach the client:
 * it says the answer was cut), so such a chunk that also carries text becomes two events.
 */
export function translateCompatChunk(data: string): UpstreamEvent | UpstreamEvent[] {
  if (data === '[DONE]') return { kind: 'finish', citationIds: [] };
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return { kind: 'error', message: 'CustomGPT.ai sent a malformed stream event.' };
  }
  if (typeof chunk !== 'object' || chunk === null) return SKIP;
  const c = chunk as Record<string, unknown>;
  // OpenAI-style chunks may carry `"error": null` on every chunk: only a real value is an error.
  if (isErrorValue(c.error) || c.status === 'error') {
    return {
      kind: 'error',
      message: upstreamMessage(c) ?? 'CustomGPT.ai reported an error mid-answer.',
    };
  }
  const text = firstChoiceContent(c, 'delta');
  const reason = firstChoiceFinishReason(c);
  const delta: UpstreamEvent | undefined = text === '' ? undefined : { kind: 'delta', text };
  if (reason === undefined) return delta ?? SKIP;
  const finish: UpstreamEvent = { kind: 'finish', citationIds: [], reason };
  return delta ? [delta, finish] : finish;
}

/** A native non-streaming answer (`data` of the message reply) as the same events. */
export function nativeAnswerEvents(data: unknown): UpstreamEvent[] {
  const d = asRecord(data);
  const text = typeof d.openai_response === 'string' ? d.openai_response : '';
  return answerEvents(text, citationIds(d.citations), { promptId: promptIdOf(d.id) });
}

/** A compat non-streaming answer (an OpenAI `chat.completion`) as the same events. */
export function compatAnswerEvents(completion: unknown): UpstreamEvent[] {
  const c = asRecord(completion);
  return answerEvents(firstChoiceContent(c, 'message'), [], {
    reason: firstChoiceFinishReason(c),
  });
}

function answerEvents(
  text: string,
  citationIds: number[],
  extra: { reason?: FinishReason; promptId?: number } = {},
): UpstreamEvent[] {
  const finish: UpstreamEvent = { kind: 'finish', citationIds };
  if (extra.reason !== undefined) finish.reason = extra.reason;
  if (extra.promptId !== undefined) finish.promptId = extra.promptId;
  return text === '' ? [finish] : [{ kind: 'delta', text }, finish];
}

/** An `error` field that reports an error: not absent, `null`, `false` or an empty string. */
function isErrorValue(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== '';
}

/**
 * `choices[0].finish_reason`, when set. `stop`, `length` and `content_filter` pass through;
 * any other reason (`tool_calls`, `function_call`, unknown values) is `stop`: the bridge relays
 * text only, so a client must not wait for tool calls that never come.
 */
function firstChoiceFinishReason(c: Record<string, unknown>): FinishReason | undefined {
  const choice = Array.isArray(c.choices) ? asRecord(c.choices[0]) : {};
  const reason = choice.finish_reason;
  if (typeof reason !== 'string' || reason === '') return undefined;
  return reason === 'length' || reason === 'content_filter' ? reason : 'stop';
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

/** The upstream message id: a positive integer (it goes into a header and a feedback path). */
function promptIdOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

function citationIds(v: unknown): number[] {
  return Array.isArray(v)
    ? v.filter((c): c is number => typeof c === 'number' && Number.isInteger(c))
    : [];
}

/** `choices[0][field].content` of an OpenAI chunk (`delta`) or completion (`message`). */
function firstChoiceContent(c: Record<string, unknown>, field: 'delta' | 'message'): string {
  const choice = Array.isArray(c.choices) ? asRecord(c.choices[0]) : {};
  const content = asRecord(choice[field]).content;
  return typeof content === 'string' ? content : '';
}

/** The human message in an upstream error envelope or event, wherever it was put. */
export function upstreamMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  for (const key of ['message', 'error', 'data']) {
    const inner = v[key];
    if (typeof inner === 'string' && inner.trim() !== '') return inner.slice(0, 500);
    if (typeof inner === 'object' && inner !== null) {
      const nested = upstreamMessage(inner);
      if (nested) return nested;
    }
  }
  return undefined;
}
