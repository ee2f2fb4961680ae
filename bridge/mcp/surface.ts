// Everything the bridge needs from the MCP side, in one module that is loaded on first use
// (lazy.ts): the MCP SDK and zod build hundreds of schemas when they load, which a bridge that
// never serves MCP should not pay for at start-up.
export { mcpDepsOf } from './deps';
export { McpHttpEndpoint } from './http';
export { createMcpServer } from './server';
export { runMcpStdio } from './stdio';
