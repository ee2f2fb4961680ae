// The status bar item: a live view of the bridge drawn from the supervisor's state and activity.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import {
  runningProject,
  type StatusInput,
  statusCommand,
  statusText,
  statusTooltip,
  TOOLTIP_COMMANDS,
} from './statusText';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  private tick: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Ctx) {
    this.item = vscode.window.createStatusBarItem(
      'customgpt.status',
      vscode.StatusBarAlignment.Right,
      100,
    );
    this.item.name = 'CustomGPT Bridge';
    this.subscription = ctx.onDidChangeView(() => this.draw());
    this.draw();
    this.item.show();
  }

  /** The current input of the pure text functions (also used by the test API). */
  input(): StatusInput {
    const state = this.ctx.supervisor.state;
    const project =
      runningProject(state, this.ctx.supervisor.activity) ?? this.ctx.config().projectId;
    return {
      state,
      hasKey: this.ctx.hasKey || this.ctx.demo,
      activity: this.ctx.supervisor.activity,
      projectName: project ? this.ctx.projectName(project) : undefined,
      keyRejected: this.ctx.keyRejected,
      keyAcceptedAfter: this.ctx.keyAcceptedAfter,
    };
  }

  draw(): void {
    const input = this.input();
    // Elapsed times of running requests tick on even when no event arrives (non-streamed ones).
    clearTimeout(this.tick);
    if (input.activity.running.length > 0) this.tick = setTimeout(() => this.draw(), 1000);
    this.item.text = statusText(input);
    this.item.command = statusCommand(input);
    const tooltip = new vscode.MarkdownString(statusTooltip(input), true);
    tooltip.isTrusted = { enabledCommands: TOOLTIP_COMMANDS };
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      input.state.kind === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : undefined;
  }

  dispose(): void {
    clearTimeout(this.tick);
    this.subscription.dispose();
    this.item.dispose();
  }
}
