// What the Chat view says when an answer cannot come, and the buttons that get the person out:
// the extension's own view of the bridge (no key, stopped, failed, unreachable) here, and the
// bridge's error codes in the words of the one table, core/errorWords.ts (shared with the chat
// panel), its actions turned into Chat buttons. Pure, so every case is unit-tested.
import { type ErrorAction, editorError, knowsCode } from '../../core/errorWords';

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

/** The bridge's code, or for an answer without a known one, the code its status stands for. */
function codeOf(problem: Extract<ChatProblem, { kind: 'answer' }>): string | undefined {
  if (knowsCode(problem.code)) return problem.code;
  const status = problem.status ?? 0;
  if (status === 401) return 'customgpt_key_rejected';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'upstream_error';
  return problem.code;
}

function buttonsFor(action: ErrorAction, retry: ChatButton[]): ChatButton[] {
  switch (action) {
    case 'askAgain':
      return retry;
    case 'setKey':
      return [BUTTONS.setApiKey];
    case 'selectProject':
      return [BUTTONS.selectProject];
    case 'showLog':
      return [BUTTONS.showLog];
    case 'answerWithoutTools':
      // The Chat view never sends tools: a 501 for them cannot come from it.
      return [];
  }
}

function answerError(
  problem: Extract<ChatProblem, { kind: 'answer' }>,
  retry: ChatButton[],
): ChatErrorView {
  const code = codeOf(problem);
  if (code === 'customgpt_key_missing') return chatErrorView({ kind: 'no-key' });
  const words = editorError(code, problem.message, undefined, problem.retryAfter);
  return {
    message: words.message,
    buttons: words.actions.flatMap((action) => buttonsFor(action, retry)),
  };
}
