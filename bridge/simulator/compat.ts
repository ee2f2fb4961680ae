// CustomGPT.ai's own OpenAI-compatible endpoint, POST /projects/{id}/chat/completions, with the
// real one's quirks: errors in CustomGPT.ai envelopes (501 for tool-style parameters), `usage`
// zeros in the non-streaming body, and streamed deltas without `role`.
import type { Exchange, SimState } from './context';
import { sendAnswerJson } from './json-answer';
import { answerFor } from './knowledge';
import { isRecord, requestMetadata, resolveProject, truthy } from './native';
import { MESSAGES, sendError } from './responses';
import { compatEvents } from './sse';
import { streamEvents } from './stream';

/** Parameters the compatibility layer refuses with 501 (its documentation's list). */
export const UNSUPPORTED_PARAMS = [
  'audio',
  'response_format',
  'tool_choice',
  'tools',
  'parallel_tool_calls',
  'web_search_options',
  'modalities',
] as const;

const ROLES: readonly unknown[] = ['system', 'user', 'assistant'];

/** A message's text: a string, or the text parts of a content array joined by newlines. */
export function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') return undefined;
    texts.push(part.text);
  }
  return texts.join('\n');
}

export type CompatCheck = { prompt: string } | { status: 400 | 501; message: string };

/** Validates a chat-completions body; the prompt answered is the last user message. */
export function checkCompatBody(body: unknown): CompatCheck {
  if (!isRecord(body)) return { status: 400, message: 'The messages field is required.' };
  for (const param of UNSUPPORTED_PARAMS) {
    if (body[param] !== undefined && body[param] !== null) {
      return { status: 501, message: MESSAGES.notYetSupported(param) };
    }
  }
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) {
    return { status: 400, message: 'The messages field is required.' };
  }
  let prompt: string | undefined;
  for (const [i, m] of messages.entries()) {
    if (!isRecord(m) || !ROLES.includes(m.role)) {
      return { status: 400, message: `The selected messages.${i}.role is invalid.` };
    }
    const text = messageText(m.content);
    if (text === undefined)
      return { status: 400, message: `The messages.${i}.content field must be a string.` };
    if (m.role === 'user') prompt = text;
  }
  if (prompt === undefined || prompt.trim() === '') {
    return { status: 400, message: 'The messages field must contain a user message.' };
  }
  return { prompt };
}

/** The non-streaming body, as components.responses.SendConversationMessageOpenAI documents it. */
export function compatCompletion(
  id: string,
  created: number,
  model: string,
  content: string,
  finishReason = 'stop',
) {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    usage: {
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      completion_tokens_details: {
        reasoning_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    choices: [
      {
        message: { role: 'assistant', content },
        logprobs: null,
        finish_reason: finishReason,
        index: 0,
      },
    ],
  };
}

export async function chatCompletions(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
): Promise<void> {
  const project = resolveProject(ex, state, projectRaw);
  if (!project) return;
  const check = checkCompatBody(ex.body);
  if ('status' in check) {
    sendError(ex.res, ex.url, check.status, check.message);
    return;
  }
  const body = ex.body as Record<string, unknown>;
  const answer = answerFor(check.prompt);
  state.queries++;
  // Each call is a fresh conversation upstream (history travels in `messages`).
  const stored = state.conversations.create(project.id, check.prompt.slice(0, 60));
  const message = state.conversations.addMessage(stored, {
    query: check.prompt,
    response: answer.text,
    citations: answer.citationIds,
    metadata: requestMetadata(ex, body.external_id),
  });
  const model = state.catalog.settings(project.id)?.chatbot_model ?? 'gpt-4-o';
  const created = Math.floor(Date.now() / 1000);
  const variant = state.faults.takeCompatVariant(ex.req.url ?? ex.path);
  if (!truthy(body.stream)) {
    const completion = compatCompletion(
      String(message.id),
      created,
      model,
      answer.text,
      variant?.finishReason,
    );
    sendAnswerJson(
      ex.res,
      { ...variant?.fields, ...completion },
      state.faults.takeStreamFault(ex.req.url ?? ex.path),
    );
    return;
  }
  const events = compatEvents({
    id: `chatcmpl-${message.id}`,
    created,
    model,
    text: answer.text,
    chunkSize: state.opts.chunkSize,
    ...(variant?.finishReason === undefined ? {} : { finishReason: variant.finishReason }),
    ...(variant?.fields === undefined ? {} : { fields: variant.fields }),
  });
  await streamEvents(
    ex.res,
    events,
    {
      // `event:` names are a native-stream option; the compat stream is always data-only.
      format: { eventNames: false, crlf: state.opts.format.crlf },
      delayMs: state.opts.chunkDelayMs,
      fault: state.faults.takeStreamFault(ex.req.url ?? ex.path),
    },
    state.recorder,
    ex.path,
  );
}
