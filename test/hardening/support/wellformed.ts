// What "a well-formed answer" means for every hardening test: an OpenAI `chat.completion`, an
// OpenAI error body with a 4xx/5xx status, or an SSE stream of `chat.completion.chunk`s that
// ends with `[DONE]` or with one `{"error":...}` event and nothing after it.
import assert from 'node:assert/strict';
import { isRecord } from '../../../shared/isRecord';
import { parseRawSse } from '../../bridge/raw-sse';

export type Outcome =
  | { kind: 'completion'; content: string }
  | { kind: 'error'; status: number; code: string | null; message: string }
  | { kind: 'stream-done'; content: string }
  | { kind: 'stream-error'; content: string; code: string | null; message: string };

export { isRecord };

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return assert.fail(`${what} is not JSON: ${text.slice(0, 300)}`);
  }
}

/** Asserts the OpenAI error shape and returns its code and message. */
export function openAIError(value: unknown): { code: string | null; message: string } {
  assert.ok(isRecord(value) && isRecord(value.error), `an OpenAI error: ${JSON.stringify(value)}`);
  const e = value.error;
  assert.equal(typeof e.message, 'string', 'error.message is a string');
  assert.ok((e.message as string).length > 0, 'error.message is not empty');
  assert.equal(typeof e.type, 'string', 'error.type is a string');
  assert.ok('param' in e && 'code' in e, 'error.param and error.code are present');
  return { code: typeof e.code === 'string' ? e.code : null, message: e.message as string };
}

/** The data of each SSE event (the same naive reader the bridge suite uses). */
export function sseData(text: string): string[] {
  return parseRawSse(text).data;
}

export function classifyStream(text: string): Outcome {
  const data = sseData(text);
  assert.ok(data.length > 0, `an SSE stream with events: ${JSON.stringify(text.slice(0, 300))}`);
  let content = '';
  for (let i = 0; i < data.length; i++) {
    const d = data[i]!;
    const last = i === data.length - 1;
    if (d === '[DONE]') {
      assert.ok(last, `nothing follows [DONE]: ${data.slice(i).join(' | ').slice(0, 300)}`);
      return { kind: 'stream-done', content };
    }
    const ev = parseJson(d, 'an SSE data event');
    if (isRecord(ev) && 'error' in ev) {
      assert.ok(
        last,
        `nothing follows the error event: ${data.slice(i).join(' | ').slice(0, 300)}`,
      );
      return { kind: 'stream-error', content, ...openAIError(ev) };
    }
    assert.ok(isRecord(ev) && ev.object === 'chat.completion.chunk', `a chunk: ${d.slice(0, 200)}`);
    const choice: unknown = Array.isArray(ev.choices) ? ev.choices[0] : undefined;
    const delta = isRecord(choice) && isRecord(choice.delta) ? choice.delta : {};
    if (typeof delta.content === 'string') content += delta.content;
  }
  return assert.fail(`the stream ends with neither [DONE] nor an error event: ${text.slice(-300)}`);
}

/** Classifies a complete HTTP answer, failing on anything that is not well-formed. */
export function classify(status: number, contentType: string | undefined, text: string): Outcome {
  if ((contentType ?? '').startsWith('text/event-stream')) {
    assert.equal(status, 200, 'an SSE answer is a 200');
    return classifyStream(text);
  }
  assert.match(contentType ?? '', /^application\/json/, `JSON answer (status ${status})`);
  const body = parseJson(text, `the ${status} body`);
  if (status === 200) {
    assert.ok(isRecord(body) && body.object === 'chat.completion', `a completion: ${text}`);
    const choices = body.choices;
    assert.ok(Array.isArray(choices) && choices.length === 1, 'exactly one choice');
    const choice: unknown = choices[0];
    assert.ok(isRecord(choice) && isRecord(choice.message), 'choice has a message');
    const content = choice.message.content;
    assert.equal(typeof content, 'string', 'message.content is a string');
    return { kind: 'completion', content: content as string };
  }
  assert.ok(status >= 400 && status <= 599, `an error status, got ${status}`);
  return { kind: 'error', status, ...openAIError(body) };
}
