// provideTokenCount must be cheap and must never block: VS Code calls it for every message while
// it fits a prompt into maxInputTokens. An estimate from the UTF-8 size (about 4 bytes per token
// for English text with OpenAI's tokenizers) is within a few percent for prose, errs high for
// code and non-Latin text (the safe side: the prompt is trimmed a little early, never too late),
// and costs one pass over the string. The real tokenizer (dist/tokenizer.js, js-tiktoken) is a
// 2 MB load the extension host should not pay for an estimate.
import { type MessageLike, messageText } from './messages';

const BYTES_PER_TOKEN = 4;
/** Role and separators around each message, as OpenAI's chat format counts them. */
export const TOKENS_PER_MESSAGE = 4;

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function estimateTokens(text: string): number {
  return Math.ceil(utf8Length(text) / BYTES_PER_TOKEN);
}

export function countTokens(input: string | MessageLike): number {
  if (typeof input === 'string') return estimateTokens(input);
  return estimateTokens(messageText(input)) + TOKENS_PER_MESSAGE;
}
