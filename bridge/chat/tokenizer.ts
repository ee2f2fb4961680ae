// Entry of dist/tokenizer.js (see usage.ts): the cl100k_base BPE tokenizer.
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

const encoder = new Tiktoken(cl100k);

export function countTokens(text: string): number {
  return text === '' ? 0 : encoder.encode(text).length;
}
