// Ready-to-paste MCP settings for agents other than VS Code's own, each in the format its
// documentation gives for a Streamable HTTP server with a bearer token (checked 2026-12-01):
//  - Claude Code: `claude mcp add --transport http <name> <url> --header "Authorization: Bearer
//    <token>"`, https://code.claude.com/docs/en/mcp ("Option 1: Add a remote HTTP server").
//    The token lands in Claude Code's own config (~/.claude.json, local scope) either way.
//  - Cursor: mcp.json `{"mcpServers": {name: {"url", "headers"}}}`, global ~/.cursor/mcp.json or
//    project .cursor/mcp.json, https://cursor.com/docs/mcp ("Remote servers").
//  - Continue: a YAML block `mcpServers: [{name, type: streamable-http, url, requestOptions:
//    {headers}}]`, https://docs.continue.dev/customize/deep-dives/mcp; the field names were
//    checked in the Continue CLI 1.5.47 source (its zod schema: type "sse" | "streamable-http",
//    requestOptions.headers), the same version the repo's tool-settings test runs.
//  - Cline: cline_mcp_settings.json `{"mcpServers": {name: {"type": "streamableHttp", "url",
//    "headers", "disabled", "autoApprove"}}}`, https://docs.cline.bot/mcp/adding-and-configuring-servers.
//    The explicit type matters: without it Cline's schema matches SSE first (cline/cline#6767).
// The bridge's token goes in the Authorization header: /mcp needs it like every bridge route.

export interface McpAgentSnippet {
  id: 'mcp-claude-code' | 'mcp-cursor' | 'mcp-continue' | 'mcp-cline';
  label: string;
  /** Where the snippet goes, shown in the picker. */
  where: string;
  text: string;
}

/** The server's name in the agents' configs (and its tool prefix there, e.g. mcp__customgpt__ask_project). */
export const MCP_CONFIG_NAME = 'customgpt';

export function mcpAgentSnippets(url: string, token: string): McpAgentSnippet[] {
  const auth = `Bearer ${token}`;
  return [
    {
      id: 'mcp-claude-code',
      label: 'Claude Code (MCP)',
      where: 'a terminal (then /mcp in Claude Code lists the server)',
      text: `claude mcp add --transport http ${MCP_CONFIG_NAME} ${url} --header "Authorization: ${auth}"\n`,
    },
    {
      id: 'mcp-cursor',
      label: 'Cursor (MCP)',
      where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project), merged into "mcpServers"',
      text: `${JSON.stringify(
        { mcpServers: { [MCP_CONFIG_NAME]: { url, headers: { Authorization: auth } } } },
        null,
        2,
      )}\n`,
    },
    {
      id: 'mcp-continue',
      label: 'Continue (MCP, agent mode)',
      where: '~/.continue/config.yaml under "mcpServers:" (or a file in .continue/mcpServers/)',
      text: [
        '# Continue: MCP tools work in agent mode',
        'mcpServers:',
        '  - name: CustomGPT.ai',
        '    type: streamable-http',
        `    url: ${url}`,
        '    requestOptions:',
        '      headers:',
        `        Authorization: ${auth}`,
        '',
      ].join('\n'),
    },
    {
      id: 'mcp-cline',
      label: 'Cline (MCP)',
      where: 'Cline > MCP Servers > Configure > Configure MCP Servers (cline_mcp_settings.json)',
      text: `${JSON.stringify(
        {
          mcpServers: {
            [MCP_CONFIG_NAME]: {
              type: 'streamableHttp',
              url,
              headers: { Authorization: auth },
              disabled: false,
              autoApprove: [],
            },
          },
        },
        null,
        2,
      )}\n`,
    },
  ];
}
