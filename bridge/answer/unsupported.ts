// The seed's rule for parameters CustomGPT.ai cannot honour, shared by every OpenAI surface:
// each rule says what a parameter asks for and when its value asks for nothing beyond plain
// text (absent-like values pass). A surface lists the rules of its parameters in the order it
// checks them; the first one that asks for something answers 501 (or is dropped under
// --on-unsupported ignore).
import { isRecord } from '../../shared/isRecord';
import { notImplemented } from '../http/openai-error';

export type Json = Record<string, unknown>;
export type UnsupportedPolicy = 'error' | 'ignore';

/** A JSON object (not an array, not null): the one check of shared/isRecord.ts. */
export const isObject = isRecord;
export const isAbsent = (v: unknown): v is undefined | null => v === undefined || v === null;
export const isEmptyArray = (v: unknown): boolean => Array.isArray(v) && v.length === 0;
const noList = (v: unknown) => isAbsent(v) || isEmptyArray(v);

/** The request declares tools (or legacy functions) to call. */
export function hasTools(body: Json): boolean {
  return !noList(body.tools) || !noList(body.functions);
}

export interface UnsupportedRule {
  name: string;
  what: string;
  asksNothing: (value: unknown, body: Json) => boolean;
}

const toolChoice = (v: unknown, b: Json) =>
  isAbsent(v) || v === 'none' || (v === 'auto' && !hasTools(b));

export const RULES = {
  tools: { name: 'tools', what: 'Tool calling', asksNothing: noList },
  functions: { name: 'functions', what: 'Function calling', asksNothing: noList },
  tool_choice: { name: 'tool_choice', what: 'Tool choice', asksNothing: toolChoice },
  function_call: { name: 'function_call', what: 'Function calling', asksNothing: toolChoice },
  parallel_tool_calls: {
    name: 'parallel_tool_calls',
    what: 'Parallel tool calls',
    asksNothing: (v, b) => isAbsent(v) || !hasTools(b),
  },
  audio: { name: 'audio', what: 'Audio output', asksNothing: isAbsent },
  modalities: {
    name: 'modalities',
    what: 'Output modalities other than text',
    asksNothing: (v) => isAbsent(v) || (Array.isArray(v) && v.every((m) => m === 'text')),
  },
  response_format: {
    name: 'response_format',
    what: 'Response format customization',
    asksNothing: (v) => isAbsent(v) || (isObject(v) && v.type === 'text'),
  },
  web_search_options: { name: 'web_search_options', what: 'Web search', asksNothing: isAbsent },
  text: {
    name: 'text',
    what: 'Structured output (text.format)',
    asksNothing: (v) =>
      isAbsent(v) ||
      (isObject(v) && (isAbsent(v.format) || (isObject(v.format) && v.format.type === 'text'))),
  },
  background: {
    name: 'background',
    what: 'Background responses',
    asksNothing: (v) => isAbsent(v) || !v,
  },
  conversation: { name: 'conversation', what: 'The Conversations API', asksNothing: isAbsent },
  prompt: { name: 'prompt', what: 'Prompt templates', asksNothing: isAbsent },
} satisfies Record<string, UnsupportedRule>;

/**
 * Applies `rules` to `body`: 501 for the first parameter that asks for something (policy
 * "error"), else its name is added to `dropped`.
 */
export function checkUnsupported(
  rules: readonly UnsupportedRule[],
  body: Json,
  policy: UnsupportedPolicy,
  dropped: string[],
): void {
  for (const rule of rules) {
    if (rule.asksNothing(body[rule.name], body)) continue;
    if (policy === 'error') throw notImplemented(rule.name, rule.what);
    if (!dropped.includes(rule.name)) dropped.push(rule.name);
  }
}
