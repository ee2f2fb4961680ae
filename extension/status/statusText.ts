// What the status bar item says, and its tooltip, as pure functions of the bridge state and the
// live activity view. The texts are part of the product's contract (an e2e test matches them).

import type { BridgeState } from '../bridge/bridgeState';
import { outcomeWords } from '../core/errorWords';
import type { ActivityView } from './activityView';
import { clientLabel } from './clientLabel';

export interface StatusInput {
  state: BridgeState;
  hasKey: boolean;
  activity: ActivityView;
  /** Display name of the configured project, when the user picked it from the list. */
  projectName?: string | undefined;
  /** The last key entered was refused by CustomGPT.ai (checked on Set API Key). */
  keyRejected?: boolean;
  /** The last request answered when a key was accepted (a rejection up to it is over). */
  keyAcceptedAfter?: string | undefined;
  /** For elapsed times of running requests; Date.now() when absent. */
  now?: number;
}

/**
 * The key is known bad: the last one entered was refused, or the bridge's latest answer was
 * CustomGPT.ai rejecting the key in use (revoked since it was set).
 */
export function keyRejected(input: StatusInput): boolean {
  if (input.keyRejected) return true;
  const last = input.activity.recent[0];
  return (
    input.state.kind === 'running' &&
    last?.code === 'customgpt_key_rejected' &&
    last.id !== input.keyAcceptedAfter
  );
}

/**
 * True while a bridge runs against the real API without a project: it listens, but every chat
 * request fails with 400 "No CustomGPT.ai project is selected", so it is not "ready". The
 * activity channel's hello is fresher than the ready line (or /bridge/info) when both exist.
 * The demo always answers from its simulated project.
 */
export function needsProject(input: StatusInput): boolean {
  const { state } = input;
  if (state.kind !== 'running' || state.connection.simulated) return false;
  return !runningProject(state, input.activity);
}

/** The running bridge's project: the activity channel's (fresher), else the ready line's. */
export function runningProject(state: BridgeState, activity: ActivityView): string | undefined {
  return state.kind === 'running' ? (activity.project ?? state.connection.project) : undefined;
}

/** What a click on the status bar item runs: the one step missing, else the menu. */
export function statusCommand(input: StatusInput): string {
  if (keyRejected(input)) return 'customgpt.setApiKey';
  return needsProject(input) ? 'customgpt.selectProject' : 'customgpt.menu';
}

export function statusText(input: StatusInput): string {
  const { state, activity } = input;
  if (keyRejected(input) && activity.active === 0) return '$(error) CustomGPT: key rejected';
  switch (state.kind) {
    case 'stopped':
      return input.hasKey ? '$(circle-slash) CustomGPT: stopped' : '$(key) CustomGPT: Set API Key';
    case 'starting':
      return '$(loading~spin) CustomGPT: starting';
    case 'error':
      return '$(error) CustomGPT: error';
    case 'running': {
      if (activity.active > 0) {
        const streams = activity.active === 1 ? '1 stream' : `${activity.active} streams`;
        // The rate comes with the first progress event; "0 chars/s" before it would be wrong.
        const cps = Math.round(activity.cps);
        return `$(sync~spin) CustomGPT: ${streams}${cps > 0 ? ` · ${cps} chars/s` : ''}`;
      }
      if (needsProject(input)) return '$(plug) CustomGPT: select a project';
      const demo = state.connection.simulated ? ' (demo)' : '';
      return `$(plug) CustomGPT: ready on :${state.connection.port}${demo}`;
    }
  }
}

/** Escapes Markdown syntax (and theme-icon syntax) in text that comes from the bridge or user. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$~]/g, '\\$&');
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const LINKS = {
  start: '[$(play) Start](command:customgpt.startBridge)',
  stop: '[$(debug-stop) Stop](command:customgpt.stopBridge)',
  restart: '[$(debug-restart) Restart](command:customgpt.restartBridge)',
  log: '[$(output) Show Log](command:customgpt.showLog)',
  setKey: '[$(key) Set API Key](command:customgpt.setApiKey)',
  demo: '[$(beaker) Try the Demo](command:customgpt.tryDemo)',
  project: '[$(list-selection) Select Project](command:customgpt.selectProject)',
};

/** The commands the tooltip links to; the MarkdownString must trust exactly these. */
export const TOOLTIP_COMMANDS = [
  'customgpt.startBridge',
  'customgpt.stopBridge',
  'customgpt.restartBridge',
  'customgpt.showLog',
  'customgpt.setApiKey',
  'customgpt.tryDemo',
  'customgpt.selectProject',
];

function projectLine(input: StatusInput, project: string): string {
  if (!project) return `Project: none selected · ${LINKS.project}`;
  // The bridge's hello names the project (also in demo mode); the picker remembered one too.
  const name = input.activity.projectName ?? input.projectName;
  const model = input.activity.model ? ` · model \`${input.activity.model}\`` : '';
  return name
    ? `Project: ${escapeMarkdown(name)}${model}`
    : `Project #${escapeMarkdown(project)}${model}`;
}

/** Requests being answered now (with their elapsed time), then the last ones, in words. */
function requestLines(activity: ActivityView, now: number): string[] {
  const lines: string[] = [];
  if (activity.running.length > 0) {
    lines.push(
      'Answering now:',
      '',
      ...activity.running.map(
        (r) =>
          `- ${escapeMarkdown(clientLabel(r.client))} · ${formatDuration(Math.max(0, now - r.at))}`,
      ),
    );
  }
  if (activity.recent.length > 0) {
    lines.push(
      'Last requests:',
      '',
      ...activity.recent.map(
        (r) =>
          `- ${escapeMarkdown(clientLabel(r.client))} · ${escapeMarkdown(outcomeWords(r))} · ${formatDuration(r.ms)}`,
      ),
    );
  }
  return lines.length > 0 ? lines : ['No requests yet.'];
}

/** Tooltip Markdown; paragraphs are separated by blank lines so each shows on its own line. */
export function statusTooltip(input: StatusInput): string {
  const { state, activity } = input;
  const lines: string[] = [];
  switch (state.kind) {
    case 'stopped': {
      lines.push('**CustomGPT.ai Bridge** stopped');
      if (input.keyRejected) {
        lines.push(
          'CustomGPT.ai rejected the key entered last.',
          `${LINKS.setKey} · ${LINKS.demo}`,
        );
      } else if (!input.hasKey) {
        lines.push(
          'Connect your CustomGPT.ai project with an API key, or try the simulated demo.',
          `${LINKS.setKey} · ${LINKS.demo}`,
        );
      } else {
        lines.push(`${LINKS.start} · ${LINKS.log}`);
      }
      break;
    }
    case 'starting':
      lines.push(`**CustomGPT.ai Bridge** starting on port ${state.port}…`, LINKS.log);
      break;
    case 'error':
      lines.push(
        '**CustomGPT.ai Bridge** error',
        escapeMarkdown(state.message),
        `${LINKS.start} · ${LINKS.log}`,
      );
      break;
    case 'running': {
      const c = state.connection;
      const who = c.owner ? 'running' : 'running (shared with another window)';
      const mode = c.simulated ? 'demo (simulated answers)' : c.mode;
      lines.push(`**CustomGPT.ai Bridge** ${who}`);
      if (keyRejected(input)) {
        lines.push(`CustomGPT.ai rejected the API key. ${LINKS.setKey}`);
      }
      if (needsProject(input)) {
        lines.push(
          'No project is selected: requests fail until you pick the one that answers (click here).',
        );
      }
      lines.push(
        `Base URL: \`${c.url}\``,
        projectLine(input, runningProject(input.state, activity) ?? c.project),
        `Mode: ${mode}`,
        ...requestLines(activity, input.now ?? Date.now()),
        `${LINKS.stop} · ${LINKS.restart} · ${LINKS.log}`,
      );
      break;
    }
  }
  return lines.join('\n\n');
}
