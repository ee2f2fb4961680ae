// The live view of what flows through the bridge, folded from its activity channel's events.
// Pure: the status bar and tooltip are drawn from the result.
import type { ActivityEvent, BridgeMode } from '../../bridge/protocol';
import { isRecord } from '../../shared/isRecord';

/** One finished request as the activity channel's `end` event reports it. */
export type RequestRecord = Omit<Extract<ActivityEvent, { type: 'end' }>, 'type' | 'active'>;

/** A request the bridge is answering now, as its `start` event reported it. */
export type RunningRequest = Omit<Extract<ActivityEvent, { type: 'start' }>, 'type'>;

export interface ActivityView {
  connected: boolean;
  active: number;
  /** Characters per second across open streams. */
  cps: number;
  model: string | null;
  mode: BridgeMode | null;
  project: string | null;
  /** The project's display name from the bridge's hello, when it could look it up. */
  projectName: string | null;
  /** Oldest first, at most RUNNING_LIMIT (the rest are still counted in `active`). */
  running: RunningRequest[];
  /** Newest first, at most RECENT_LIMIT. */
  recent: RequestRecord[];
}

export const RECENT_LIMIT = 5;
export const RUNNING_LIMIT = 5;

export function emptyActivity(): ActivityView {
  return {
    connected: false,
    active: 0,
    cps: 0,
    model: null,
    mode: null,
    project: null,
    projectName: null,
    running: [],
    recent: [],
  };
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

export function applyActivity(view: ActivityView, event: ActivityEvent): ActivityView {
  switch (event.type) {
    case 'hello':
      return {
        ...view,
        connected: true,
        active: nonNegative(event.active),
        cps: 0,
        model: event.model,
        mode: event.mode,
        project: event.project,
        projectName: event.projectName ?? null,
        running: [],
      };
    case 'start': {
      const { type: _type, ...request } = event;
      // The count arrives with the next progress event; a start alone proves one more is open.
      return {
        ...view,
        active: view.active + (event.stream ? 1 : 0),
        running: [...view.running, request].slice(-RUNNING_LIMIT),
      };
    }
    case 'progress':
      return { ...view, active: nonNegative(event.active), cps: nonNegative(event.cps) };
    case 'end': {
      const record: RequestRecord = {
        id: event.id,
        client: event.client,
        status: event.status,
        ms: event.ms,
        chars: event.chars,
      };
      if (event.error) record.error = event.error;
      if (event.param) record.param = event.param;
      if (event.code) record.code = event.code;
      const active = nonNegative(event.active);
      return {
        ...view,
        active,
        running: view.running.filter((r) => r.id !== event.id),
        cps: active === 0 ? 0 : view.cps,
        recent: [record, ...view.recent].slice(0, RECENT_LIMIT),
      };
    }
  }
}

/** Parses one WebSocket message; unknown or malformed events are ignored (newer bridges). */
export function parseActivityEvent(raw: string): ActivityEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const num = (key: string): number => (typeof parsed[key] === 'number' ? parsed[key] : 0);
  const str = (key: string): string => (typeof parsed[key] === 'string' ? parsed[key] : '');
  switch (parsed.type) {
    case 'hello': {
      const mode = str('mode');
      return {
        type: 'hello',
        mode: mode === 'compat' || mode === 'demo' ? mode : 'native',
        project:
          str('project') || (typeof parsed.project === 'number' ? String(parsed.project) : ''),
        model: typeof parsed.model === 'string' ? parsed.model : null,
        url: str('url'),
        active: num('active'),
        simulated: parsed.simulated === true,
        projectName: str('projectName') || null,
      };
    }
    case 'start':
      return {
        type: 'start',
        id: str('id'),
        client: str('client'),
        stream: parsed.stream === true,
        at: num('at'),
      };
    case 'progress':
      return { type: 'progress', active: num('active'), cps: num('cps') };
    case 'end': {
      const event: ActivityEvent = {
        type: 'end',
        id: str('id'),
        client: str('client'),
        status: num('status'),
        ms: num('ms'),
        chars: num('chars'),
        active: num('active'),
      };
      if (typeof parsed.error === 'string') event.error = parsed.error;
      if (typeof parsed.param === 'string') event.param = parsed.param;
      if (typeof parsed.code === 'string') event.code = parsed.code;
      return event;
    }
    default:
      return undefined;
  }
}
