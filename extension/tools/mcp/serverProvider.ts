// Registers the bridge's /mcp with VS Code (an MCP server definition provider, stable since
// VS Code 1.101): "CustomGPT.ai" under "MCP: List Servers", its tools available to agent mode.
// The definition VS Code lists carries no token; the token is added when VS Code starts the
// server (resolveMcpServerDefinition), after the bridge is running, so the definition VS Code
// caches holds no secret. When the bridge moves (another port, a restart, a new token) the
// provider says its definitions changed, and VS Code reconnects to the new one.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { bridgeIdentity, MCP_PROVIDER_ID, MCP_SERVER_LABEL, mcpPort, mcpUrl } from './endpoint';

export function registerMcpServerProvider(ctx: Ctx): void {
  const scope = ctx.scopes.extension;
  const changed = scope.track(new vscode.EventEmitter<void>());
  let token = '';
  const identity = () =>
    bridgeIdentity(ctx.supervisor.state, ctx.config().port, fingerprint(token));
  let last = identity();
  const refresh = async () => {
    token = ctx.supervisor.credentials?.token ?? (await ctx.secrets.getOrCreateBridgeToken());
    const now = identity();
    if (now === last) return;
    last = now;
    ctx.log.debug(`MCP server definition changed (${now.split('|').slice(0, 2).join(', ')}).`);
    changed.fire();
  };
  scope.track(ctx.supervisor.onDidChange(() => void refresh().catch(() => undefined)));
  const version = String(ctx.extension.extension.packageJSON.version ?? '0');
  const definition = (headers?: Record<string, string>) =>
    new vscode.McpHttpServerDefinition(
      MCP_SERVER_LABEL,
      vscode.Uri.parse(mcpUrl(mcpPort(ctx.supervisor.state, ctx.config().port))),
      headers,
      version,
    );
  scope.track(
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => [definition()],
      resolveMcpServerDefinition: async (server) => {
        if (server.label !== MCP_SERVER_LABEL) return server;
        // Starts the bridge if needed (VS Code asks just before agent mode uses the tools).
        const bridge = await ctx.ensureBridge();
        if (!bridge) {
          void vscode.window.showWarningMessage(
            'CustomGPT: the bridge is not running, so its MCP tools are unavailable. Set an API key or try the demo.',
          );
          return undefined;
        }
        token = bridge.token;
        last = identity();
        return new vscode.McpHttpServerDefinition(
          MCP_SERVER_LABEL,
          vscode.Uri.parse(mcpUrl(bridge.port)),
          { Authorization: `Bearer ${bridge.token}` },
          version,
        );
      },
    }),
  );
}

/** Tells tokens apart without keeping one in a string that might be logged. */
function fingerprint(token: string): string {
  return token ? createHash('sha256').update(token).digest('hex').slice(0, 12) : '';
}
