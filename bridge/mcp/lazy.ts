// Loads the MCP surface (surface.ts) the first time it is needed: the first request to /mcp, or
// `--mcp-stdio`. A `require` (not an import) is what makes esbuild wrap the MCP modules, the SDK
// and zod in a lazy initialiser inside dist/bridge.js: their top-level code runs on first use,
// not at every start (about 60 ms of the bridge's start-up otherwise).
import type { RouteCall } from '../http/router';
import type { McpDeps } from './deps';

type Surface = typeof import('./surface');

let surface: Surface | undefined;

export function loadMcp(): Surface {
  surface ??= require('./surface') as Surface;
  return surface;
}

/** The /mcp routes; the MCP server and its sessions come to life on the first request. */
export class LazyMcpEndpoint {
  private endpoint: InstanceType<Surface['McpHttpEndpoint']> | undefined;

  constructor(private readonly deps: () => McpDeps) {}

  readonly post = (call: RouteCall) => this.load().post(call);
  readonly get = (call: RouteCall) => this.load().get(call);
  readonly delete = (call: RouteCall) => this.load().delete(call);

  async close(): Promise<void> {
    await this.endpoint?.close();
  }

  private load(): InstanceType<Surface['McpHttpEndpoint']> {
    if (!this.endpoint) {
      const mcp = loadMcp();
      const deps = this.deps();
      this.endpoint = new mcp.McpHttpEndpoint({
        log: deps.log,
        createServer: () => mcp.createMcpServer(deps),
      });
    }
    return this.endpoint;
  }
}
