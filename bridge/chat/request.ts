// The seed's request rules as one pure function: validate an OpenAI chat-completions body and
// classify every parameter as required, supported, ignored or unsupported (501).
// Hand-written rather than schema-driven so each error names the exact field (`param`) the way
// OpenAI does, and so the hot path allocates little.
import { badRequest, notImplemented } from '../http/openai-error';

export type TurnRole = 'system' | 'developer' | 'user' | 'assistant';
export interface ChatTurn {
  role: TurnRole;
  text: string;
}

export interface ChatRequest {
  turns: ChatTurn[];
  stream: boolean;
  includeUsage: boolean;
  /** Unsupported parameters dropped under `--on-unsupported ignore` (for a one-time log line). */
  dropped: string[];
}

export type UnsupportedPolicy = 'error' | 'ignore';

const ROLES = new Set<string>(['system', 'developer', 'user', 'assistant']);
/** Roles that only appear with tool use; dropped under `ignore`, refused otherwise. */
const TOOL_ROLES = new Set<string>(['tool', 'function']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isAbsent = (v: unknown) => v === undefined || v === null;

/**
 * The seed's seven unsupported parameters (plus the legacy `functions`/`function_call`), each
 * with the test for "asks for nothing beyond plain text chat", which counts as absent.
 */
const UNSUPPORTED: ReadonlyArray<{
  name: string;
  what: string;
  asksNothing: (value: unknown, body: Json) => boolean;
}> = [
  { name: 'tools', what: 'Tool calling', asksNothing: (v) => isAbsent(v) || isEmptyArray(v) },
  {
    name: 'functions',
    what: 'Function calling',
    asksNothing: (v) => isAbsent(v) || isEmptyArray(v),
  },
  {
    name: 'tool_choice',
    what: 'Tool choice',
    asksNothing: (v, b) => isAbsent(v) || v === 'none' || (v === 'auto' && !hasTools(b)),
  },
  {
    name: 'function_call',
    what: 'Function calling',
    asksNothing: (v, b) => isAbsent(v) || v === 'none' || (v === 'auto' && !hasTools(b)),
  },
  {
    name: 'parallel_tool_calls',
    what: 'Parallel tool calls',
    asksNothing: (v, b) => isAbsent(v) || !hasTools(b),
  },
  { name: 'audio', what: 'Audio output', asksNothing: isAbsent },
  {
    name: 'response_format',
    what: 'Response format customization',
    asksNothing: (v) => isAbsent(v) || (isObject(v) && v.type === 'text'),
  },
  { name: 'web_search_options', what: 'Web search', asksNothing: isAbsent },
  {
    name: 'modalities',
    what: 'Output modalities other than text',
    asksNothing: (v) => isAbsent(v) || (Array.isArray(v) && v.every((m) => m === 'text')),
  },
];

function isEmptyArray(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}
function hasTools(body: Json): boolean {
  return (
    !(isAbsent(body.tools) || isEmptyArray(body.tools)) ||
    !(isAbsent(body.functions) || isEmptyArray(body.functions))
  );
}

export function parseChatRequest(body: unknown, policy: UnsupportedPolicy): ChatRequest {
  if (!isObject(body)) {
    throw badRequest('The request body must be a JSON object.', null, 'invalid_body');
  }
  const dropped: string[] = [];
  for (const rule of UNSUPPORTED) {
    const value = body[rule.name];
    if (rule.asksNothing(value, body)) continue;
    if (policy === 'ignore') dropped.push(rule.name);
    else throw notImplemented(rule.name, rule.what);
  }

  const turns = parseMessages(body.messages, policy, dropped);

  const stream = body.stream;
  if (!isAbsent(stream) && typeof stream !== 'boolean') {
    throw badRequest("'stream' must be a boolean.", 'stream', 'invalid_type');
  }
  let includeUsage = false;
  const options = body.stream_options;
  if (!isAbsent(options)) {
    if (!isObject(options)) {
      throw badRequest("'stream_options' must be an object.", 'stream_options', 'invalid_type');
    }
    const usage = options.include_usage;
    if (!isAbsent(usage) && typeof usage !== 'boolean') {
      throw badRequest(
        "'stream_options.include_usage' must be a boolean.",
        'stream_options.include_usage',
        'invalid_type',
      );
    }
    includeUsage = usage === true;
  }
  return { turns, stream: stream === true, includeUsage: includeUsage && stream === true, dropped };
}

function parseMessages(raw: unknown, policy: UnsupportedPolicy, dropped: string[]): ChatTurn[] {
  if (raw === undefined) {
    throw badRequest(
      "Missing required parameter: 'messages'.",
      'messages',
      'missing_required_parameter',
    );
  }
  if (!Array.isArray(raw)) {
    throw badRequest("'messages' must be an array of message objects.", 'messages', 'invalid_type');
  }
  if (raw.length === 0) {
    throw badRequest("'messages' must contain at least one message.", 'messages', 'empty_array');
  }
  const turns: ChatTurn[] = [];
  let lastIndex = 0; // raw index of the last kept turn, for error messages
  for (let i = 0; i < raw.length; i++) {
    const m: unknown = raw[i];
    const at = `messages[${i}]`;
    if (!isObject(m)) throw badRequest(`'${at}' must be an object.`, at, 'invalid_type');
    const role = m.role;
    if (typeof role === 'string' && TOOL_ROLES.has(role) && policy === 'ignore') {
      if (!dropped.includes('tool messages')) dropped.push('tool messages');
      continue;
    }
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw badRequest(
        `'${at}.role' must be one of 'system', 'developer', 'user', 'assistant'` +
          (typeof role === 'string' ? ` (got '${role.slice(0, 40)}').` : '.'),
        `${at}.role`,
        role === undefined ? 'missing_required_parameter' : 'invalid_value',
      );
    }
    turns.push({ role: role as TurnRole, text: contentText(m.content, role, at, policy, dropped) });
    lastIndex = i;
  }
  const last = turns[turns.length - 1];
  if (last?.role !== 'user') {
    throw badRequest(
      "The last message must have role 'user': CustomGPT.ai answers a user's question.",
      'messages',
      'invalid_value',
    );
  }
  if (last.text.trim() === '') {
    throw badRequest(
      'The last user message has no text.',
      `messages[${lastIndex}].content`,
      'invalid_value',
    );
  }
  return turns;
}

function contentText(
  content: unknown,
  role: string,
  at: string,
  policy: UnsupportedPolicy,
  dropped: string[],
): string {
  if (typeof content === 'string') return content;
  // Assistant turns from tool-using clients carry `content: null` next to `tool_calls`.
  if (content === null && role === 'assistant') return '';
  if (!Array.isArray(content)) {
    throw badRequest(
      `'${at}.content' must be a string or an array of text parts.`,
      `${at}.content`,
      content === undefined ? 'missing_required_parameter' : 'invalid_type',
    );
  }
  let text = '';
  for (let j = 0; j < content.length; j++) {
    const part: unknown = content[j];
    const pat = `${at}.content[${j}]`;
    if (!isObject(part)) throw badRequest(`'${pat}' must be an object.`, pat, 'invalid_type');
    if (part.type === 'text') {
      if (typeof part.text !== 'string') {
        throw badRequest(`'${pat}.text' must be a string.`, `${pat}.text`, 'invalid_type');
      }
      text += text === '' ? part.text : `\n${part.text}`;
    } else if (part.type === 'input_audio') {
      if (policy === 'ignore') {
        if (!dropped.includes('input_audio')) dropped.push('input_audio');
        continue;
      }
      throw notImplemented(pat, 'Audio input');
    } else {
      throw badRequest(
        `'${pat}.type' must be 'text': CustomGPT.ai answers text only` +
          (typeof part.type === 'string' ? ` (got '${part.type.slice(0, 40)}').` : '.'),
        `${pat}.type`,
        'invalid_value',
      );
    }
  }
  return text;
}
