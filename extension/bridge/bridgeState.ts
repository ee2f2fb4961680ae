// The bridge as this window sees it: one union that the status bar, menu and commands draw from.
import type { BridgeMode } from '../../bridge/protocol';

/** A bridge this window can use: either its own child process or one another window runs. */
export interface BridgeConnection {
  /** OpenAI base URL, e.g. http://127.0.0.1:8765/v1 */
  url: string;
  port: number;
  mode: BridgeMode;
  project: string;
  simulated: boolean;
  /** True when this window spawned the process; false when attached to another window's. */
  owner: boolean;
  pid: number | undefined;
}

export type StopReason =
  /** Nothing has been tried yet (still booting, or customgpt.autoStart is off). */
  | 'not-started'
  /** The user pressed Stop. */
  | 'user'
  /** No CustomGPT.ai key and not in demo mode: nothing to start. */
  | 'no-key'
  | 'disposed';

export type BridgeState =
  | { kind: 'stopped'; reason: StopReason }
  | { kind: 'starting'; port: number }
  | { kind: 'running'; connection: BridgeConnection }
  | { kind: 'error'; message: string };

export function baseOrigin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** The OpenAI base URL tools use: the running bridge's, else the one it will have on `port`. */
export function baseUrl(state: BridgeState, port: number): string {
  return state.kind === 'running' ? state.connection.url : `${baseOrigin(port)}/v1`;
}
