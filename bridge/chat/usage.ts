// Token counts for `stream_options.include_usage`. CustomGPT.ai reports none, so the bridge
// estimates them with a real BPE tokenizer (cl100k_base, via js-tiktoken) counting the text it
// sent and received: close to, not exactly, what the project's model counts. The tokenizer
// (about 1 MB of ranks) lives in its own file, dist/tokenizer.js, loaded on first use only, so
// neither cold start nor idle memory pays for it. Should it fail to load, counts are zeros.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Usage } from './completion';
import type { ChatTurn } from './request';

type Counter = (text: string) => number;
let counter: Counter | null | undefined;

function loadCounter(): Counter | null {
  if (counter !== undefined) return counter;
  try {
    // Bundled: dist/tokenizer.js next to dist/bridge.js. From source (tests): ./tokenizer.ts.
    const bundled = join(__dirname, 'tokenizer.js');
    const mod = require(existsSync(bundled) ? bundled : join(__dirname, 'tokenizer')) as {
      countTokens: Counter;
    };
    counter = mod.countTokens;
  } catch {
    counter = null;
  }
  return counter;
}

/** ChatML overhead per message, as OpenAI documents for its chat models. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

export function estimateUsage(turns: readonly ChatTurn[], completion: string): Usage {
  const count = loadCounter();
  if (!count) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let prompt = REPLY_PRIMING;
  for (const t of turns) prompt += PER_MESSAGE + count(t.role) + count(t.text);
  const completionTokens = count(completion);
  return {
    prompt_tokens: prompt,
    completion_tokens: completionTokens,
    total_tokens: prompt + completionTokens,
  };
}
