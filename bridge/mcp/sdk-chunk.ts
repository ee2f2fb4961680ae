// The third-party half of the MCP surface, bundled apart as dist/mcp-sdk.js (esbuild.mjs): the
// MCP SDK and zod are about 40 % of the bridge's code, and a bridge that never serves MCP should
// not read or compile them at every start. The bridge's own MCP modules import these packages as
// usual; in dist/bridge-main.js each such import becomes a property of this module, which is
// required on the first `/mcp` request or `--mcp-stdio` (lazy.ts). One copy of each package, so
// the zod schemas the tools build are the SDK's own zod (zod.ts lists the builders they use).
export * as mcp from '@modelcontextprotocol/sdk/server/mcp.js';
export * as stdio from '@modelcontextprotocol/sdk/server/stdio.js';
export * as streamableHttp from '@modelcontextprotocol/sdk/server/streamableHttp.js';
export { z as zod } from './zod';
