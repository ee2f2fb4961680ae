// The command-palette chat: a webview panel that streams answers through the bridge, keeps the
// conversation for follow-ups (whole history plus the bridge's session id), and can stop a
// stream. All network traffic happens here in the extension host; the webview only displays.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { requireBridge } from '../bridge/bridgeAccess';
import { ACTION_LABELS, type ErrorAction, editorError } from '../core/errorWords';
import { getJson } from '../core/httpJson';
import type { Ctx } from '../ctx';
import { stripAppendedSources } from './appendedSources';
import { type Citation, isWebUrl } from './chatChunk';
import { type ChatMessage, SESSION_LOST_NOTE, streamChatRecovering } from './chatClient';
import { chatPageHtml } from './chatHtml';
import { chatIntro, parseProjectBody } from './chatIntro';
import type { ShownQuestion } from './selectionPrompt';

type MarkdownModule = typeof import('./markdown');

/** Messages the webview sends. */
type FromWebview =
  | { type: 'ready' }
  | { type: 'ask'; text: string }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'action'; action: string }
  | { type: 'openLink'; href: string };

/** The commands behind the error buttons (Ask Again is handled by the panel itself). */
const ACTION_COMMANDS: Readonly<Partial<Record<ErrorAction, string>>> = {
  setKey: 'customgpt.setApiKey',
  selectProject: 'customgpt.selectProject',
  showLog: 'customgpt.showLog',
};

/** Re-rendering the whole answer per delta would be wasteful; this many ms between renders. */
const RENDER_INTERVAL_MS = 60;

export class ChatPanel implements vscode.Disposable {
  private static current: ChatPanel | undefined;

  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private history: ChatMessage[] = [];
  private sessionId: string | undefined;
  /** Bumped by New Chat, so a stream still finishing cannot write into the new conversation. */
  private conversation = 0;
  private abort: AbortController | undefined;
  private readonly ready: Promise<void>;
  /** The turn that failed last, for Ask Again. */
  private lastFailed: { prompt: string; shown: ShownQuestion } | undefined;

  /**
   * Reuses the open panel (the conversation goes on) or opens a new one, beside the active
   * editor: the code being asked about stays in view. `beside` moves an open panel that shares
   * the editor's column.
   */
  static show(
    ctx: Ctx,
    options: { beside?: vscode.ViewColumn | undefined; preserveFocus?: boolean } = {},
  ): ChatPanel {
    const current = ChatPanel.current;
    if (current) {
      const sameColumn =
        options.beside !== undefined && current.panel.viewColumn === options.beside;
      current.panel.reveal(sameColumn ? vscode.ViewColumn.Beside : undefined, true);
      return current;
    }
    ChatPanel.current = new ChatPanel(ctx, options.preserveFocus ?? false);
    return ChatPanel.current;
  }

  private constructor(
    private readonly ctx: Ctx,
    preserveFocus: boolean,
  ) {
    this.panel = vscode.window.createWebviewPanel(
      'customgpt.chat',
      'CustomGPT Chat',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: true },
    );
    const nonce = randomBytes(16).toString('base64');
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: FromWebview) => {
        if (message.type === 'ready') markReady();
        else void this.onMessage(message);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    this.panel.webview.html = chatPageHtml({ nonce, cspSource: this.panel.webview.cspSource });
    void this.ready.then(() => this.showIntro());
  }

  /** The empty panel's project name, example questions and demo note (GET /bridge/project). */
  private async showIntro(): Promise<void> {
    const credentials = this.ctx.supervisor.credentials;
    let body: unknown;
    if (credentials) {
      const origin = credentials.url.replace(/\/v1\/?$/, '');
      const result = await getJson(`${origin}/bridge/project`, {
        token: credentials.token,
        timeoutMs: 10_000,
      });
      if (result.kind === 'response' && result.status === 200) body = result.body;
    }
    void this.post({ type: 'intro', ...chatIntro(parseProjectBody(body)) });
  }

  get busy(): boolean {
    return this.abort !== undefined;
  }

  /**
   * Asks one question. `shownText` is what the panel displays (the question as typed);
   * `prompt` is what is sent (it may quote the editor selection).
   */
  async ask(prompt: string, shown: ShownQuestion = { text: prompt }): Promise<void> {
    await this.ready;
    if (this.busy) {
      void vscode.window.showWarningMessage(
        'CustomGPT: an answer is still streaming. Stop it first.',
      );
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.lastFailed = undefined;
    void this.post({ type: 'question', ...shown });
    try {
      const bridge = await requireBridge(this.ctx);
      if (!bridge) {
        this.lastFailed = { prompt, shown };
        void this.postError('The bridge is not running.', ['askAgain', 'showLog']);
        return;
      }
      await this.stream(bridge.url, bridge.token, prompt, abort, shown);
    } finally {
      this.abort = undefined;
      void this.post({ type: 'done', stopped: abort.signal.aborted });
    }
  }

  private async stream(
    baseUrl: string,
    token: string,
    prompt: string,
    abort: AbortController,
    shown: ShownQuestion,
  ) {
    // Loaded on first use so that markdown-it costs nothing at activation.
    const { renderMarkdown, renderSources } = require('./markdown') as MarkdownModule;
    const conversation = this.conversation;
    const history = this.history;
    history.push({ role: 'user', content: prompt });
    let answer = '';
    let citations: Citation[] = [];
    let renderTimer: NodeJS.Timeout | undefined;
    const render = () => {
      renderTimer = undefined;
      void this.post({ type: 'answer', html: renderMarkdown(answer) });
    };
    const outcome = await streamChatRecovering(
      { baseUrl, token, messages: history, sessionId: this.sessionId, signal: abort.signal },
      {
        onSessionLost: () => {
          if (conversation === this.conversation) this.sessionId = undefined;
          void this.post({ type: 'note', text: SESSION_LOST_NOTE });
        },
        onDelta: (delta) => {
          answer += delta;
          renderTimer ??= setTimeout(render, RENDER_INTERVAL_MS);
        },
        onCitations: (list) => {
          citations = list;
        },
        onSessionId: (id) => {
          if (conversation === this.conversation) this.sessionId = id;
        },
      },
    );
    if (renderTimer) clearTimeout(renderTimer);
    // The panel lists citations itself; drop the copy the bridge may have appended to the text.
    if (citations.length > 0) answer = stripAppendedSources(answer);
    render();
    if (citations.length > 0) void this.post({ type: 'sources', html: renderSources(citations) });
    if (outcome.kind === 'error') {
      // The log keeps the bridge's own words; the panel says it in editor words, with a way on.
      this.ctx.log.warn(`Chat answer failed: ${outcome.message}`);
      const words = editorError(outcome.code, outcome.message);
      // An upstream conversation the bridge no longer knows (it restarted, or the project
      // changed): Ask Again starts a new one rather than failing the same way.
      if (outcome.code === 'session_not_found' || outcome.code === 'invalid_session_id') {
        this.sessionId = undefined;
      }
      this.lastFailed = { prompt, shown };
      void this.postError(words.message, words.actions);
    }
    // Keep the history a clean user/assistant alternation: a failed turn leaves no trace.
    if (answer.trim() && outcome.kind !== 'error') {
      history.push({ role: 'assistant', content: answer });
    } else {
      history.pop();
    }
  }

  private async onMessage(message: Exclude<FromWebview, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'ask':
        if (typeof message.text === 'string' && message.text.trim())
          await this.ask(message.text.trim());
        return;
      case 'stop':
        this.abort?.abort();
        return;
      case 'action':
        await this.runAction(message.action);
        return;
      case 'newChat':
        this.abort?.abort();
        this.lastFailed = undefined;
        this.conversation++;
        this.history = [];
        this.sessionId = undefined;
        void this.post({ type: 'reset' });
        void this.showIntro();
        return;
      case 'openLink':
        // Only web links leave the webview; anything else (command:, file:) is dropped.
        if (typeof message.href === 'string' && isWebUrl(message.href)) {
          void vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        }
        return;
    }
  }

  private postError(message: string, actions: ErrorAction[]): Thenable<boolean> {
    return this.post({
      type: 'error',
      message,
      actions: actions
        .filter((id) => id === 'askAgain' || ACTION_COMMANDS[id])
        .map((id) => ({ id, label: ACTION_LABELS[id] })),
    });
  }

  private async runAction(action: string): Promise<void> {
    if (action === 'askAgain') {
      const failed = this.lastFailed;
      if (failed && !this.busy) await this.ask(failed.prompt, failed.shown);
      return;
    }
    const command = ACTION_COMMANDS[action as ErrorAction];
    if (command) await vscode.commands.executeCommand(command);
  }

  private post(message: Record<string, unknown>): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ChatPanel.current === this) ChatPanel.current = undefined;
    this.abort?.abort();
    for (const disposable of this.disposables) disposable.dispose();
    this.panel.dispose();
  }
}
