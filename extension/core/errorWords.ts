// The bridge's errors in editor words. The bridge writes for every client, so its messages name
// environment variables and command-line flags (CUSTOMGPT_API_KEY, --project); inside VS Code a
// person needs what happened and the one step that fixes it, by command. Pure: keyed on the
// OpenAI error `code` the bridge sets (bridge/upstream/errors.ts, bridge/chat/handler.ts).
// The one table of these words: the chat panel, the project picker, the status tooltip and the
// VS Code Chat view (chat/vscode/chatErrors.ts turns the actions into Chat buttons) all read it.

/** What the person can do next; the chat panel and the Chat view show each as a button. */
export type ErrorAction =
  | 'askAgain'
  | 'setKey'
  | 'selectProject'
  | 'showLog'
  | 'answerWithoutTools';

export const ACTION_LABELS: Readonly<Record<ErrorAction, string>> = {
  askAgain: 'Ask Again',
  setKey: 'Set API Key',
  selectProject: 'Select Project',
  showLog: 'Show Log',
  answerWithoutTools: 'Answer Without Tools',
};

export interface EditorError {
  /** A sentence or two for the chat panel or a notification. */
  message: string;
  /** A few words for the status bar tooltip ("key rejected"). */
  short: string;
  actions: ErrorAction[];
}

/** The code chatClient gives a request that never got an answer from the bridge. */
export const BRIDGE_UNREACHABLE = 'bridge_unreachable';
/** The code chatClient gives a stream that ended without any text. */
export const EMPTY_ANSWER = 'empty_answer';

/** A table entry; a message may name the wait the bridge asked for (Retry-After). */
interface Words extends Omit<EditorError, 'message'> {
  message: string | ((wait: string) => string);
}

/** "in 30 seconds" from a Retry-After of "30"; "in a moment" when there is none. */
function waitWords(retryAfter: string | undefined): string {
  if (retryAfter && /^\d{1,6}$/.test(retryAfter)) {
    const n = Number(retryAfter);
    return n === 1 ? 'in 1 second' : `in ${n} seconds`;
  }
  return 'in a moment';
}

const UPSTREAM_ERROR: Words = {
  message: 'CustomGPT.ai could not answer right now. This is usually temporary: ask again.',
  short: 'CustomGPT.ai error',
  actions: ['askAgain', 'showLog'],
};

const WORDS: Readonly<Record<string, Words>> = {
  customgpt_key_rejected: {
    message:
      'CustomGPT.ai rejected your API key. Set a valid key (create one in your CustomGPT.ai ' +
      'account settings, under API), then ask again.',
    short: 'key rejected',
    actions: ['setKey', 'showLog'],
  },
  customgpt_key_missing: {
    message:
      'No CustomGPT.ai API key is set yet. Set your key to ask your own project, or try the ' +
      'demo with simulated answers.',
    short: 'no API key',
    actions: ['setKey'],
  },
  customgpt_forbidden: {
    message:
      "CustomGPT.ai refused access to this project: your key's account may not own it, or its " +
      'plan may not allow API use. Pick another project or set another key.',
    short: 'access refused',
    actions: ['selectProject', 'setKey'],
  },
  project_not_found: {
    message:
      'CustomGPT.ai has no such project (it may have been deleted, or your key belongs to ' +
      'another account). Pick the project to answer from.',
    short: 'project not found',
    actions: ['selectProject'],
  },
  project_missing: {
    message: 'No CustomGPT.ai project is selected yet. Pick the project to answer from.',
    short: 'no project',
    actions: ['selectProject'],
  },
  rate_limit_exceeded: {
    message: (wait) =>
      'CustomGPT.ai is rate-limiting your key (per-minute limit or query credits of your ' +
      `plan). Retry ${wait}.`,
    short: 'rate limited',
    actions: ['askAgain'],
  },
  bridge_overloaded: {
    message: (wait) => `The CustomGPT bridge is busy with other requests. Retry ${wait}.`,
    short: 'bridge busy',
    actions: ['askAgain'],
  },
  bridge_stopping: {
    message: 'The CustomGPT bridge was restarting while it answered. Ask again in a moment.',
    short: 'bridge restarted',
    actions: ['askAgain'],
  },
  upstream_timeout: {
    message:
      'CustomGPT.ai did not answer in time. Ask again; if it keeps happening, the service may be slow right now.',
    short: 'timed out',
    actions: ['askAgain', 'showLog'],
  },
  upstream_unreachable: {
    message: 'Could not reach CustomGPT.ai. Check the network connection, then ask again.',
    short: 'CustomGPT.ai unreachable',
    actions: ['askAgain', 'showLog'],
  },
  upstream_error: UPSTREAM_ERROR,
  upstream_stream_error: {
    message: 'The answer from CustomGPT.ai broke off. Ask again.',
    short: 'answer broke off',
    actions: ['askAgain', 'showLog'],
  },
  upstream_rejected: {
    message: 'CustomGPT.ai did not accept this question. Rephrase it and ask again.',
    short: 'question refused',
    actions: ['askAgain', 'showLog'],
  },
  session_not_found: {
    message: 'This conversation is no longer known to CustomGPT.ai. Start a New Chat or ask again.',
    short: 'conversation expired',
    actions: ['askAgain'],
  },
  [BRIDGE_UNREACHABLE]: {
    message:
      'The connection to the bridge was cut off before the answer finished, most likely because the bridge restarted (a setting changed, or it was stopped). Ask again to continue.',
    short: 'bridge unreachable',
    actions: ['askAgain'],
  },
  [EMPTY_ANSWER]: {
    message: 'The answer came back empty. Ask again.',
    short: 'empty answer',
    actions: ['askAgain'],
  },
};

/** Whether the table has words of its own for this code (else the caller may guess from the status). */
export function knowsCode(code: string | undefined): boolean {
  return code !== undefined && (code in WORDS || code === 'unsupported_parameter');
}

/** Parameters CustomGPT.ai cannot honor that mean "call my tools". */
const TOOL_PARAMS = new Set([
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'functions',
  'function_call',
]);

export function isToolParam(param: string | undefined): boolean {
  return param !== undefined && TOOL_PARAMS.has(param);
}

/**
 * Editor words for a bridge error. `fallback` is the bridge's own message, used (with a way to
 * the log) only for codes this table does not know, so a newer bridge still says something.
 */
export function editorError(
  code: string | undefined,
  fallback: string,
  param?: string,
  retryAfter?: string,
): EditorError {
  if (code === 'unsupported_parameter') {
    return {
      message: `CustomGPT.ai cannot honor the parameter "${param ?? 'unknown'}", so the bridge refused the request.`,
      short: param ?? 'unsupported parameter',
      actions: isToolParam(param) ? ['answerWithoutTools'] : [],
    };
  }
  // A newer upstream failure still reads as one.
  const known = code
    ? (WORDS[code] ?? (code.startsWith('upstream_') ? UPSTREAM_ERROR : undefined))
    : undefined;
  if (known) {
    const { message, ...rest } = known;
    return {
      ...rest,
      message: typeof message === 'string' ? message : message(waitWords(retryAfter)),
    };
  }
  return { message: fallback, short: 'failed', actions: ['askAgain', 'showLog'] };
}

/** The tooltip's few words for a finished request's outcome: "200", "cancelled", "501 tools". */
export function outcomeWords(record: { status: number; code?: string; param?: string }): string {
  if (record.status === 499) return 'cancelled';
  if (record.status < 400) return String(record.status);
  if (record.status === 501 && record.param) return `501 ${record.param}`;
  if (record.code && (WORDS[record.code] || record.code === 'unsupported_parameter')) {
    return `${record.status} ${editorError(record.code, '', record.param).short}`;
  }
  if (record.status === 400 && record.param) return `400 invalid ${record.param}`;
  return String(record.status);
}
