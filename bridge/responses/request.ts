// The Responses API request (POST /v1/responses) as one pure function, with the seed's rules
// applied in its spirit: text in, text out. `input` is a string or a list of message items
// (input_text / output_text parts); `instructions` become the persona; tools, structured output
// and other things CustomGPT.ai cannot do answer 501 (or are dropped under --on-unsupported
// ignore); sampling and storage parameters are ignored.
import {
  checkUnsupported,
  isAbsent,
  isObject,
  RULES,
  type UnsupportedPolicy,
  type UnsupportedRule,
} from '../answer/unsupported';
import type { ChatTurn, TurnRole } from '../chat/request';
import { badRequest, notImplemented } from '../http/openai-error';

export interface ResponsesRequest {
  /** `instructions` first (as a system turn), then the input's messages in order. */
  turns: ChatTurn[];
  instructions: string | null;
  stream: boolean;
  previousResponseId: string | null;
  /** The request's `model`, echoed nowhere but used to pick a project (models/ids.ts). */
  model: unknown;
  /** Unsupported parameters or items dropped under `--on-unsupported ignore`. */
  dropped: string[];
}

/** Response ids this bridge hands out (responses/frames.ts): `resp_` and base64url. */
export const RESPONSE_ID = /^resp_[A-Za-z0-9_-]{1,100}$/;

/** Parameters that ask for more than plain-text answers; absent-like values pass. */
const UNSUPPORTED: readonly UnsupportedRule[] = [
  RULES.tools,
  RULES.tool_choice,
  RULES.parallel_tool_calls,
  RULES.text,
  RULES.background,
  RULES.conversation,
  RULES.prompt,
  RULES.audio,
  RULES.modalities,
];

/** Input item types that only exist with tool use or reasoning: 501, or dropped under ignore. */
const TOOL_ITEM = /(_call|_call_output|_output)$|^(reasoning|compaction|item_reference)$/;
const MESSAGE_ROLES = new Set<string>(['system', 'developer', 'user', 'assistant']);
const TEXT_PARTS = new Set<string>(['input_text', 'output_text', 'text']);

export function parseResponsesRequest(body: unknown, policy: UnsupportedPolicy): ResponsesRequest {
  if (!isObject(body)) {
    throw badRequest('The request body must be a JSON object.', null, 'invalid_body');
  }
  const dropped: string[] = [];
  const refuse = (param: string, what: string) => {
    if (policy === 'error') throw notImplemented(param, what);
    if (!dropped.includes(param)) dropped.push(param);
  };
  checkUnsupported(UNSUPPORTED, body, policy, dropped);

  const stream = body.stream;
  if (!isAbsent(stream) && typeof stream !== 'boolean') {
    throw badRequest("'stream' must be a boolean.", 'stream', 'invalid_type');
  }
  const instructions = body.instructions;
  if (!isAbsent(instructions) && typeof instructions !== 'string') {
    throw badRequest("'instructions' must be a string.", 'instructions', 'invalid_type');
  }
  const previous = body.previous_response_id;
  if (!isAbsent(previous) && (typeof previous !== 'string' || !RESPONSE_ID.test(previous))) {
    throw badRequest(
      "'previous_response_id' must be the id of an earlier response of this bridge (resp_...).",
      'previous_response_id',
      'invalid_value',
    );
  }

  const turns: ChatTurn[] = [];
  if (typeof instructions === 'string' && instructions.trim() !== '') {
    turns.push({ role: 'system', text: instructions });
  }
  turns.push(...inputTurns(body.input, refuse));
  const last = turns[turns.length - 1];
  if (last?.role !== 'user' || last.text.trim() === '') {
    throw badRequest(
      "The input must end with a user message that has text: CustomGPT.ai answers a user's question.",
      'input',
      'invalid_value',
    );
  }
  return {
    turns,
    instructions: typeof instructions === 'string' ? instructions : null,
    stream: stream === true,
    previousResponseId: typeof previous === 'string' ? previous : null,
    model: body.model,
    dropped,
  };
}

function inputTurns(input: unknown, refuse: (param: string, what: string) => void): ChatTurn[] {
  if (input === undefined || input === null) {
    throw badRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  }
  if (typeof input === 'string') return [{ role: 'user', text: input }];
  if (!Array.isArray(input)) {
    throw badRequest(
      "'input' must be a string or an array of input items.",
      'input',
      'invalid_type',
    );
  }
  const turns: ChatTurn[] = [];
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    const at = `input[${i}]`;
    if (!isObject(item)) throw badRequest(`'${at}' must be an object.`, at, 'invalid_type');
    const type = item.type ?? 'message';
    if (typeof type === 'string' && type !== 'message' && TOOL_ITEM.test(type)) {
      refuse(at, `Input items of type '${type.slice(0, 40)}'`);
      continue;
    }
    if (type !== 'message') {
      throw badRequest(
        `'${at}.type' must be 'message'` +
          (typeof type === 'string' ? ` (got '${type.slice(0, 40)}').` : '.'),
        `${at}.type`,
        'invalid_value',
      );
    }
    const role = item.role;
    if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
      throw badRequest(
        `'${at}.role' must be one of 'system', 'developer', 'user', 'assistant'.`,
        `${at}.role`,
        role === undefined ? 'missing_required_parameter' : 'invalid_value',
      );
    }
    const text = contentText(item.content, at, refuse);
    if (text !== undefined) turns.push({ role: role as TurnRole, text });
  }
  return turns;
}

/** The text of a message's content; undefined when every part was dropped. */
function contentText(
  content: unknown,
  at: string,
  refuse: (param: string, what: string) => void,
): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) {
    throw badRequest(
      `'${at}.content' must be a string or an array of content parts.`,
      `${at}.content`,
      content === undefined ? 'missing_required_parameter' : 'invalid_type',
    );
  }
  const texts: string[] = [];
  for (let j = 0; j < content.length; j++) {
    const part: unknown = content[j];
    const pat = `${at}.content[${j}]`;
    if (!isObject(part)) throw badRequest(`'${pat}' must be an object.`, pat, 'invalid_type');
    if (typeof part.type === 'string' && TEXT_PARTS.has(part.type)) {
      if (typeof part.text !== 'string') {
        throw badRequest(`'${pat}.text' must be a string.`, `${pat}.text`, 'invalid_type');
      }
      texts.push(part.text);
    } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
      texts.push(part.refusal);
    } else if (
      part.type === 'input_image' ||
      part.type === 'input_file' ||
      part.type === 'input_audio'
    ) {
      refuse(pat, `Content of type '${part.type}' (CustomGPT.ai answers text only)`);
    } else {
      throw badRequest(
        `'${pat}.type' must be 'input_text' or 'output_text'` +
          (typeof part.type === 'string' ? ` (got '${part.type.slice(0, 40)}').` : '.'),
        `${pat}.type`,
        'invalid_value',
      );
    }
  }
  return texts.length === 0 && content.length > 0 ? undefined : texts.join('\n');
}
