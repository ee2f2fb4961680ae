// The bridge's errors in editor words. The bridge writes for every client, so its messages name
// environment variables and command-line flags (CUSTOMGPT_API_KEY, --project); inside VS Code a
// person needs what happened and the one step that fixes it, by command. Pure: keyed on the
// OpenAI error `code` the bridge sets (bridge/upstream/errors.ts, bridge/chat/handler.ts).

/** What the person can do next; the chat panel shows each as a button. */
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

const WORDS: Readonly<Record<string, EditorError>> = {
  customgpt_key_rejected: {
    message: 'CustomGPT.ai rejected the API key. Set it again (copy the whole key).',
    short: 'key rejected',
    actions: ['setKey'],
  },
  customgpt_key_missing: {
    message: 'No CustomGPT.ai API key is set.',
    short: 'no API key',
    actions: ['setKey'],
  },
  customgpt_forbidden: {
    message:
      "CustomGPT.ai refused access to this project: the key's account may not own it, or its plan may not allow API use.",
    short: 'access refused',
    actions: ['selectProject', 'setKey'],
  },
  project_not_found: {
    message: 'CustomGPT.ai has no project with this id any more. Pick the one that answers.',
    short: 'project not found',
    actions: ['selectProject'],
  },
  project_missing: {
    message: 'No project is selected. Pick the one that answers.',
    short: 'no project',
    actions: ['selectProject'],
  },
  rate_limit_exceeded: {
    message:
      "CustomGPT.ai is limiting this key's requests (query credits or the per-minute limit of your plan). Wait a moment, then ask again.",
    short: 'rate limited',
    actions: ['askAgain'],
  },
  bridge_overloaded: {
    message: 'The bridge is busy with many other requests. Ask again in a moment.',
    short: 'bridge busy',
    actions: ['askAgain'],
  },
  bridge_stopping: {
    message: 'The bridge was restarting and could not finish this answer. Ask again.',
    short: 'bridge restarted',
    actions: ['askAgain'],
  },
  upstream_timeout: {
    message:
      'CustomGPT.ai did not answer in time. Ask again; if it keeps happening, the service may be slow right now.',
    short: 'timed out',
    actions: ['askAgain'],
  },
  upstream_unreachable: {
    message: 'Could not reach CustomGPT.ai. Check the network connection, then ask again.',
    short: 'CustomGPT.ai unreachable',
    actions: ['askAgain', 'showLog'],
  },
  upstream_error: {
    message: 'CustomGPT.ai had a problem answering. This is usually temporary: ask again.',
    short: 'CustomGPT.ai error',
    actions: ['askAgain', 'showLog'],
  },
  upstream_stream_error: {
    message: 'The answer from CustomGPT.ai broke off. Ask again.',
    short: 'answer broke off',
    actions: ['askAgain'],
  },
  upstream_rejected: {
    message: 'CustomGPT.ai did not accept this question. Rephrase it and ask again.',
    short: 'question refused',
    actions: ['askAgain'],
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
): EditorError {
  if (code === 'unsupported_parameter') {
    return {
      message: `CustomGPT.ai cannot honor the parameter "${param ?? 'unknown'}", so the bridge refused the request.`,
      short: param ?? 'unsupported parameter',
      actions: isToolParam(param) ? ['answerWithoutTools'] : [],
    };
  }
  const known = code ? WORDS[code] : undefined;
  if (known) return known;
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
