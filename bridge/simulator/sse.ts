// Server-sent events as the CustomGPT.ai API sends them, built as plain data before a stream
// starts (an answer is a few hundred characters, so building it all up front is cheap).
//   native  /conversations/{id}/messages?stream=true: data-only JSON events keyed on `status`:
//           start {prompt} -> progress {message: delta}... -> finish {id, session_id, citations}
//   compat  /chat/completions with stream: chat.completion.chunk events whose deltas carry
//           content but no `role`, a last chunk with finish_reason "stop", then [DONE]
//           (the stream example of docs.customgpt.ai's chat-completions reference page).

export interface SseEvent {
  /** The `event:` name, written only when the simulator runs with `eventNames`. */
  name?: string;
  data: string;
}

export interface SseFormat {
  eventNames: boolean;
  crlf: boolean;
}

export function encodeEvent(event: SseEvent, format: SseFormat): string {
  const nl = format.crlf ? '\r\n' : '\n';
  const named = format.eventNames && event.name !== undefined ? `event: ${event.name}${nl}` : '';
  return `${named}data: ${event.data}${nl}${nl}`;
}

/** Splits text into pieces of `size` UTF-16 units, never between the halves of a surrogate pair. */
export function chunkText(text: string, size: number): string[] {
  const chunks: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    chunks.push(text.slice(i, end));
    i = end;
  }
  return chunks;
}

export interface NativeStreamInput {
  prompt: string;
  text: string;
  promptId: number;
  sessionId: string;
  citationIds: number[];
  chunkSize: number;
}

export function nativeEvents(input: NativeStreamInput): SseEvent[] {
  const events: SseEvent[] = [
    { name: 'start', data: JSON.stringify({ status: 'start', prompt: input.prompt }) },
  ];
  for (const piece of chunkText(input.text, input.chunkSize)) {
    events.push({ name: 'progress', data: JSON.stringify({ status: 'progress', message: piece }) });
  }
  events.push({
    name: 'finish',
    data: JSON.stringify({
      status: 'finish',
      id: input.promptId,
      session_id: input.sessionId,
      citations: input.citationIds,
    }),
  });
  return events;
}

export interface CompatStreamInput {
  id: string;
  created: number;
  model: string;
  text: string;
  chunkSize: number;
  /** Default 'stop'. */
  finishReason?: string;
  /** Extra top-level fields on every chunk (a `compat-variant` fault), e.g. `{"error": null}`. */
  fields?: Record<string, unknown>;
}

export function compatEvents(input: CompatStreamInput): SseEvent[] {
  const extra = input.fields ? JSON.stringify(input.fields).slice(1, -1) : '';
  const head = `{${extra}${extra ? ',' : ''}"id":${JSON.stringify(input.id)},"object":"chat.completion.chunk","created":${input.created},"model":${JSON.stringify(input.model)},"choices":[`;
  const events: SseEvent[] = chunkText(input.text, input.chunkSize).map((piece) => ({
    data: `${head}{"index":0,"delta":{"content":${JSON.stringify(piece)}},"finish_reason":null}]}`,
  }));
  const reason = JSON.stringify(input.finishReason ?? 'stop');
  events.push({ data: `${head}{"index":0,"delta":{},"finish_reason":${reason}}]}` });
  events.push({ data: '[DONE]' });
  return events;
}

/** The event an `error-event` fault injects. */
export function errorEvent(message: string): SseEvent {
  return { name: 'error', data: JSON.stringify({ status: 'error', message }) };
}

/** The event a `malformed-event` fault injects: not JSON. */
export const MALFORMED_EVENT: SseEvent = { data: '{not json' };
