// What the Chat view says when an answer cannot come, and the buttons that get the person out:
// the bridge's error codes (bridge/upstream/errors.ts, bridge/server.ts) and the extension's own
// view of the bridge, in the editor's words. Pure, so every case is unit-tested.
// (The command panel and notifications have their own wording module; the two may merge.)

export interface ChatButton {
  command: string;
  title: string;
  arguments?: unknown[];
}

export interface ChatErrorView {
  message: string;
  buttons: ChatButton[];
}

export type ChatProblem =
  /** No CustomGPT.ai key and not in demo mode. */
  | { kind: 'no-key' }
  /** The person stopped the bridge (CustomGPT: Stop Bridge). */
  | { kind: 'bridge-stopped' }
  /** The bridge could not start or keeps crashing; `message` is the supervisor's. */
  | { kind: 'bridge-error'; message: string }
  /** The request never got an HTTP answer (the bridge went away mid-way). */
  | { kind: 'unreachable'; message: string }
  /** The bridge answered with an error (HTTP status and OpenAI error code when known). */
  | { kind: 'answer'; message: string; status?: number; code?: string; retryAfter?: string };

export const BUTTONS = {
  setApiKey: { command: 'customgpt.setApiKey', title: 'Set API Key' },
  tryDemo: { command: 'customgpt.tryDemo', title: 'Try the Demo' },
  showLog: { command: 'customgpt.showLog', title: 'Show Log' },
  startBridge: { command: 'customgpt.startBridge', title: 'Start Bridge' },
  restartBridge: { command: 'customgpt.restartBridge', title: 'Restart Bridge' },
  selectProject: { command: 'customgpt.selectProject', title: 'Select Project' },
} as const satisfies Record<string, ChatButton>;

/**
 * Plain words as Markdown: the bridge's messages may hold `*`, `_` or brackets that must not
 * turn into formatting or links. (MarkdownString.appendText would also do it, but it turns every
 * space into &nbsp;, and the Chat view then breaks lines in the middle of words.)
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&');
}

/** Re-asks the question in the Chat view (the participant's own words, slash command included). */
export function retryButton(query: string | undefined): ChatButton[] {
  if (!query) return [];
  return [{ command: 'workbench.action.chat.open', title: 'Retry', arguments: [{ query }] }];
}

function seconds(retryAfter: string | undefined): string {
  if (retryAfter && /^\d{1,6}$/.test(retryAfter)) {
    const n = Number(retryAfter);
    return n === 1 ? 'in 1 second' : `in ${n} seconds`;
  }
  return 'in a moment';
}

/** `retryQuery`: what the Retry button sends (omit it where retrying cannot help). */
export function chatErrorView(problem: ChatProblem, retryQuery?: string): ChatErrorView {
  const retry = retryButton(retryQuery);
  switch (problem.kind) {
    case 'no-key':
      return {
        message:
          'No CustomGPT.ai API key is set yet. Set your key to ask your own project, or try the ' +
          'demo with simulated answers.',
        buttons: [BUTTONS.setApiKey, BUTTONS.tryDemo],
      };
    case 'bridge-stopped':
      return {
        message:
          'The CustomGPT bridge is stopped, so your project cannot answer. Start it, then ask again.',
        buttons: [BUTTONS.startBridge, BUTTONS.showLog],
      };
    case 'bridge-error':
      return {
        message: `The CustomGPT bridge is not running: ${problem.message}`,
        buttons: [BUTTONS.restartBridge, BUTTONS.showLog],
      };
    case 'unreachable':
      return {
        message: `The CustomGPT bridge stopped answering (${problem.message}). Restart it, then ask again.`,
        buttons: [BUTTONS.restartBridge, BUTTONS.showLog],
      };
    case 'answer':
      return answerError(problem, retry);
  }
}

function answerError(
  problem: Extract<ChatProblem, { kind: 'answer' }>,
  retry: ChatButton[],
): ChatErrorView {
  switch (problem.code) {
    case 'customgpt_key_missing':
      return chatErrorView({ kind: 'no-key' });
    case 'customgpt_key_rejected':
      return {
        message:
          'CustomGPT.ai rejected your API key. Set a valid key (create one in your CustomGPT.ai ' +
          'account settings, under API), then ask again.',
        buttons: [BUTTONS.setApiKey, BUTTONS.showLog],
      };
    case 'customgpt_forbidden':
      return {
        message:
          "CustomGPT.ai refused access to this project: your key's account may not own it, or its " +
          'plan may not allow API use. Pick another project or set another key.',
        buttons: [BUTTONS.selectProject, BUTTONS.setApiKey],
      };
    case 'project_not_found':
      return {
        message:
          'CustomGPT.ai has no such project (it may have been deleted, or your key belongs to ' +
          'another account). Pick the project to answer from.',
        buttons: [BUTTONS.selectProject],
      };
    case 'project_missing':
      return {
        message: 'No CustomGPT.ai project is selected yet. Pick the project to answer from.',
        buttons: [BUTTONS.selectProject],
      };
    case 'bridge_overloaded':
      return {
        message: `The CustomGPT bridge is busy with other requests. Retry ${seconds(problem.retryAfter)}.`,
        buttons: retry,
      };
    case 'rate_limit_exceeded':
      return {
        message:
          'CustomGPT.ai is rate-limiting your key (per-minute limit or query credits of your ' +
          `plan). Retry ${seconds(problem.retryAfter)}.`,
        buttons: retry,
      };
    case 'bridge_stopping':
      return {
        message: 'The CustomGPT bridge was restarting while it answered. Ask again in a moment.',
        buttons: retry,
      };
    default:
      break;
  }
  const status = problem.status ?? 0;
  if (status === 401) return chatErrorView({ ...problem, code: 'customgpt_key_rejected' });
  if (status === 429) return chatErrorView({ ...problem, code: 'rate_limit_exceeded' });
  if (status >= 500 || problem.code?.startsWith('upstream_')) {
    return {
      message: `CustomGPT.ai could not answer right now: ${problem.message} This is usually temporary.`,
      buttons: [...retry, BUTTONS.showLog],
    };
  }
  return {
    message: `CustomGPT.ai could not answer: ${problem.message}`,
    buttons: [...retry, BUTTONS.showLog],
  };
}
