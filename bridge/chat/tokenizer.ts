// Entry of dist/tokenizer.js (see usage.ts): the cl100k_base BPE tokenizer.
// BPE merging grows faster than linearly with the length of one pre-token (a long run of
// letters without spaces, a base64 blob): counting whole turns could block the event loop for
// seconds. So text is counted in slices of at most SLICE characters, cut at whitespace where
// possible (the count changes only at the cuts), and very long text is estimated instead.
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

const encoder = new Tiktoken(cl100k);
const SLICE = 2048;
const RUN_SLICE = 256;
/** Beyond this, ~4 characters a token (OpenAI's rule of thumb) is close enough for usage. */
const ESTIMATE_ABOVE = 256 * 1024;

export function countTokens(text: string): number {
  if (text === '') return 0;
  if (text.length > ESTIMATE_ABOVE) return Math.ceil(text.length / 4);
  let total = 0;
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + SLICE, text.length);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      // No space to cut at: a short slice, since one long pre-token is what costs.
      end = space > start + SLICE / 2 ? space : Math.min(end, start + RUN_SLICE);
    }
    total += encoder.encode(text.slice(start, end)).length;
    start = end;
  }
  return total;
}
