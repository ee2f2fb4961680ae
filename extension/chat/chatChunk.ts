// Interprets one SSE `data:` payload of a streamed chat completion: a text delta, the final
// chunk's citations, an in-stream error, or the end marker. Pure, so it is unit-tested.
import { isRecord } from '../../shared/isRecord';

export interface Citation {
  id: string;
  title: string;
  url: string;
}

export interface ChunkMeaning {
  delta?: string;
  citations?: Citation[];
  error?: string;
  /** The error's `code` (e.g. customgpt_key_rejected), so a caller can say what to do. */
  errorCode?: string;
  /** The upstream message id (the final chunk's `prompt_id`), for feedback. */
  promptId?: number;
  done?: boolean;
}

/** Only web links are shown: a citation URL is rendered as a clickable link. */
export function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

export function normalizeCitations(value: unknown): Citation[] {
  if (!Array.isArray(value)) return [];
  const out: Citation[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.url !== 'string' || !isWebUrl(item.url)) continue;
    const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : '';
    const title =
      typeof item.title === 'string' && item.title.trim() ? item.title.trim() : item.url;
    out.push({ id, title, url: item.url });
  }
  return out;
}

/** The `code` of an OpenAI-style error body, when it has a string one. */
export function errorCodeOf(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  return typeof body.error.code === 'string' ? body.error.code : undefined;
}

/** The message of an OpenAI-style error body `{"error":{"message":...}}`, if that is what it is. */
export function errorMessageOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const error = body.error;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  if (typeof error === 'string') return error;
  return undefined;
}

export function interpretChunk(data: string): ChunkMeaning {
  if (data.trim() === '[DONE]') return { done: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return {};
  }
  const error = errorMessageOf(parsed);
  if (error !== undefined) {
    const errorCode = errorCodeOf(parsed);
    return errorCode === undefined ? { error } : { error, errorCode };
  }
  if (!isRecord(parsed)) return {};
  const meaning: ChunkMeaning = {};
  const choices = parsed.choices;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (isRecord(first) && isRecord(first.delta) && typeof first.delta.content === 'string') {
    meaning.delta = first.delta.content;
  }
  if (parsed.citations !== undefined) meaning.citations = normalizeCitations(parsed.citations);
  const promptId = parsed.prompt_id;
  if (typeof promptId === 'number' && Number.isSafeInteger(promptId) && promptId > 0) {
    meaning.promptId = promptId;
  }
  return meaning;
}
