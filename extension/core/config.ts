// The extension's settings as one typed object, read through a getter so this module stays free
// of `vscode` (tests feed plain objects). Each key is either applied live or needs the bridge to
// restart, because the bridge receives its configuration as command-line flags.
import { DEFAULT_PORT, type UpstreamMode } from '../../bridge/protocol';

export const CONFIG_SECTION = 'customgpt';

export type OnUnsupported = 'error' | 'ignore';
export type CitationsMode = 'append' | 'field';

export interface BridgeConfig {
  port: number;
  autoStart: boolean;
  upstreamMode: UpstreamMode;
  onUnsupported: OnUnsupported;
  citations: CitationsMode;
  /** '' means the public service (https://app.customgpt.ai). */
  upstreamUrl: string;
  /** '' until the user picks a project. */
  projectId: string;
  /** Seconds the bridge waits for CustomGPT.ai to start, or go on with, an answer. */
  upstreamTimeout: number;
}

export type ConfigKey = keyof BridgeConfig;

export const DEFAULT_CONFIG: Readonly<BridgeConfig> = {
  port: DEFAULT_PORT,
  autoStart: true,
  upstreamMode: 'native',
  onUnsupported: 'error',
  citations: 'append',
  upstreamUrl: '',
  projectId: '',
  upstreamTimeout: 60,
};

export type ApplyMode = 'live' | 'needs-restart';

/** How a change of each key takes effect. */
export const CONFIG_APPLY: Readonly<Record<ConfigKey, ApplyMode>> = {
  port: 'needs-restart',
  autoStart: 'live',
  upstreamMode: 'needs-restart',
  onUnsupported: 'needs-restart',
  citations: 'needs-restart',
  upstreamUrl: 'needs-restart',
  projectId: 'needs-restart',
  upstreamTimeout: 'needs-restart',
};

export const CONFIG_KEYS = Object.keys(CONFIG_APPLY) as ConfigKey[];

/** Whatever can answer "what is the value of key X" (vscode's WorkspaceConfiguration can). */
export interface ConfigSource {
  get(key: string): unknown;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

function validPort(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535
    ? value
    : DEFAULT_PORT;
}

/** The bridge's --upstream-timeout range, in whole seconds. */
function validTimeout(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 3600
    ? value
    : DEFAULT_CONFIG.upstreamTimeout;
}

function trimmedString(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads every key, replacing a malformed value by its default rather than failing. */
export function readConfig(source: ConfigSource): BridgeConfig {
  const autoStart = source.get('autoStart');
  return {
    port: validPort(source.get('port')),
    autoStart: typeof autoStart === 'boolean' ? autoStart : DEFAULT_CONFIG.autoStart,
    upstreamMode: oneOf(
      source.get('upstreamMode'),
      ['native', 'compat'] as const,
      DEFAULT_CONFIG.upstreamMode,
    ),
    onUnsupported: oneOf(
      source.get('onUnsupported'),
      ['error', 'ignore'] as const,
      DEFAULT_CONFIG.onUnsupported,
    ),
    citations: oneOf(source.get('citations'), ['append', 'field'] as const, 'append'),
    upstreamUrl: trimmedString(source.get('upstreamUrl')).replace(/\/+$/, ''),
    projectId: trimmedString(source.get('projectId')),
    upstreamTimeout: validTimeout(source.get('upstreamTimeout')),
  };
}

/** The changed keys (as reported by a "does this change affect X" test) that need a restart. */
export function keysNeedingRestart(affects: (fullKey: string) => boolean): ConfigKey[] {
  return CONFIG_KEYS.filter(
    (key) => CONFIG_APPLY[key] === 'needs-restart' && affects(`${CONFIG_SECTION}.${key}`),
  );
}

/** The bridge's command line. Secrets are never here: they travel in the environment. */
export function bridgeArgs(config: BridgeConfig, demo: boolean): string[] {
  const args = [
    '--port',
    String(config.port),
    '--host',
    '127.0.0.1',
    '--upstream-mode',
    config.upstreamMode,
    '--on-unsupported',
    config.onUnsupported,
    '--citations',
    config.citations,
    '--upstream-timeout',
    String(config.upstreamTimeout),
    '--stdin-lifeline',
  ];
  if (config.projectId) args.push('--project', config.projectId);
  if (config.upstreamUrl) args.push('--upstream', config.upstreamUrl);
  if (demo) args.push('--demo');
  return args;
}
