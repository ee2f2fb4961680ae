// Where the bridge's MCP endpoint is, worked out from the bridge state the extension holds (no
// vscode import, so it is unit-tested): the running bridge's port, else the configured one. The
// URL is always built here from a port on 127.0.0.1, never taken from a process's output.
import { type BridgeState, baseOrigin } from '../../bridge/bridgeState';

/** The label VS Code shows under "MCP: List Servers"; tools appear as mcp_customgpt_ai_<tool>. */
export const MCP_SERVER_LABEL = 'CustomGPT.ai';
/** The id in package.json's contributes.mcpServerDefinitionProviders. */
export const MCP_PROVIDER_ID = 'customgpt.mcp';
export const MCP_PATH = '/mcp';

export function mcpUrl(port: number): string {
  return `${baseOrigin(port)}${MCP_PATH}`;
}

/** The port the MCP endpoint is on (or will be, once the bridge starts). */
export function mcpPort(state: BridgeState, configuredPort: number): number {
  return state.kind === 'running' ? state.connection.port : configuredPort;
}

/**
 * What identifies the bridge an MCP client talks to: a change (another port, a restart with a
 * new process, a new token) means VS Code must be told the definition changed.
 */
export function bridgeIdentity(
  state: BridgeState,
  configuredPort: number,
  tokenFingerprint: string,
): string {
  const pid = state.kind === 'running' ? (state.connection.pid ?? 'attached') : 'none';
  return `${mcpPort(state, configuredPort)}|${state.kind}|${pid}|${tokenFingerprint}`;
}
