// The five things measured side by side, in report order.
export const TARGET_NAMES = ['direct', 'passthrough', 'native', 'compat', 'peer'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];
export type PerTarget<T> = Partial<Record<TargetName, T>>;

export const TARGET_LABELS: Record<TargetName, string> = {
  direct: 'direct',
  passthrough: 'passthrough',
  native: 'bridge native',
  compat: 'bridge compat',
  peer: 'peer (Portkey)',
};

/** The bridge's two modes: the targets the goals are judged on. */
export const BRIDGES = ['compat', 'native'] as const satisfies readonly TargetName[];

/** The simulator's project, and its OpenAI-compatible path (direct and passthrough use it). */
export const PROJECT = '1001';
export const SIM_CHAT_PATH = `/api/v1/projects/${PROJECT}/chat/completions`;
export const SIM_KEY = 'bench-simulator-key-0001';
