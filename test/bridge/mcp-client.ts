// The official MCP SDK client, connected to the bridge over Streamable HTTP (/mcp, with the
// bridge's bearer token) or over stdio (dist/bridge.js --mcp-stdio), plus small readers for
// tool results.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BRIDGE_JS, cleanEnv, REPO_ROOT } from '../support/bridge-cli.js';

export async function httpClient(
  bridge: { origin: string; token: string },
  name = 'bridge-mcp-test',
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${bridge.origin}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${bridge.token}` } },
  });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

export async function stdioClient(
  args: string[],
  env: Record<string, string>,
): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BRIDGE_JS, '--mcp-stdio', ...args],
    env: cleanEnv(env) as Record<string, string>,
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const client = new Client({ name: 'bridge-mcp-stdio-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err };
}

/** The text of a tool result's first text block. */
export function resultText(r: CallToolResult): string {
  const block = r.content.find((c) => c.type === 'text');
  assert.ok(block && block.type === 'text', `tool result has text: ${JSON.stringify(r)}`);
  return block.text;
}

/** Calls a tool and asserts it did not fail. */
export async function callOk(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  assert.notEqual(r.isError, true, `${name} failed: ${JSON.stringify(r.content)}`);
  return r;
}
