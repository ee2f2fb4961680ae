// Token counts for `stream_options.include_usage`. CustomGPT.ai reports none, so the bridge
// estimates them with the cl100k_base tokenizer counting the text it sent and received: close
// to, not exactly, what the project's model counts. The tokenizer (about 1 MB of ranks) lives in
// its own file, dist/tokenizer.js, loaded on first use only, so neither cold start nor idle
// memory pays for it; it counts in slices that yield to the event loop (see tokenizer.ts).
// Should it fail to load, counts are zeros.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Usage } from './completion';
import type { ChatTurn } from './request';

type CountTokens = (texts: readonly string[]) => Promise<number[]>;
let counter: CountTokens | null | undefined;

function loadCounter(): CountTokens | null {
  if (counter !== undefined) return counter;
  try {
    // Bundled: dist/tokenizer.js next to dist/bridge-main.js. From source (tests): ./tokenizer.ts.
    const bundled = join(__dirname, 'tokenizer.js');
    const mod = require(existsSync(bundled) ? bundled : join(__dirname, 'tokenizer')) as {
      countTokens: CountTokens;
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
const NO_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

export async function estimateUsage(
  turns: readonly ChatTurn[],
  completion: string,
): Promise<Usage> {
  const count = loadCounter();
  if (!count) return NO_USAGE;
  const texts: string[] = [];
  for (const t of turns) texts.push(t.role, t.text);
  texts.push(completion);
  let counts: number[];
  try {
    counts = await count(texts);
  } catch {
    return NO_USAGE;
  }
  let prompt = REPLY_PRIMING + PER_MESSAGE * turns.length;
  for (let i = 0; i < texts.length - 1; i++) prompt += counts[i]!;
  const completionTokens = counts[texts.length - 1]!;
  return {
    prompt_tokens: prompt,
    completion_tokens: completionTokens,
    total_tokens: prompt + completionTokens,
  };
}
