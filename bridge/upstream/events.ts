// Pure translation of upstream stream events into what the bridge relays. Both upstream modes
// (CustomGPT.ai's native message stream and its own OpenAI-compatible stream) map onto the same
// small vocabulary, so one responder serves both.

export type UpstreamEvent =
  | { kind: 'delta'; text: string }
  /** `promptId`: the upstream message id (native mode), which message feedback names. */
  | { kind: 'finish'; citationIds: number[]; sessionId?: string; promptId?: number }
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
 * possibly without `finish_reason` or `[DONE]`. Only the text is kept; the bridge re-frames it.
 */
export function translateCompatChunk(data: string): UpstreamEvent {
  if (data === '[DONE]') return { kind: 'finish', citationIds: [] };
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return { kind: 'error', message: 'CustomGPT.ai sent a malformed stream event.' };
  }
  if (typeof chunk !== 'object' || chunk === null) return SKIP;
  const c = chunk as Record<string, unknown>;
  if (c.error !== undefined || c.status === 'error') {
    return {
      kind: 'error',
      message: upstreamMessage(c) ?? 'CustomGPT.ai reported an error mid-answer.',
    };
  }
  const text = firstChoiceContent(c, 'delta');
  return text === '' ? SKIP : { kind: 'delta', text };
}

/** A native non-streaming answer (`data` of the message reply) as the same events. */
export function nativeAnswerEvents(data: unknown): UpstreamEvent[] {
  const d = asRecord(data);
  const text = typeof d.openai_response === 'string' ? d.openai_response : '';
  return answerEvents(text, citationIds(d.citations), promptIdOf(d.id));
}

/** A compat non-streaming answer (an OpenAI `chat.completion`) as the same events. */
export function compatAnswerEvents(completion: unknown): UpstreamEvent[] {
  return answerEvents(firstChoiceContent(asRecord(completion), 'message'), []);
}

function answerEvents(text: string, citationIds: number[], promptId?: number): UpstreamEvent[] {
  const finish: UpstreamEvent =
    promptId === undefined
      ? { kind: 'finish', citationIds }
      : { kind: 'finish', citationIds, promptId };
  return text === '' ? [finish] : [{ kind: 'delta', text }, finish];
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
