// The extension's MCP pieces without VS Code: where /mcp is, when the definition changes, the
// snippets for other agents, and the manifest's provider contribution.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BridgeState } from '../../../../extension/bridge/bridgeState';
import { MCP_CONFIG_NAME, mcpAgentSnippets } from '../../../../extension/tools/mcp/agentSnippets';
import {
  bridgeIdentity,
  MCP_PROVIDER_ID,
  MCP_SERVER_LABEL,
  mcpPort,
  mcpUrl,
} from '../../../../extension/tools/mcp/endpoint';

const running = (port: number, pid: number): BridgeState => ({
  kind: 'running',
  connection: {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    mode: 'native',
    project: '1',
    simulated: false,
    owner: true,
    pid,
  },
});

describe('mcp endpoint', () => {
  it('is /mcp on 127.0.0.1 at the running port, else the configured one', () => {
    assert.equal(mcpUrl(8765), 'http://127.0.0.1:8765/mcp');
    assert.equal(mcpPort(running(9001, 5), 8765), 9001);
    assert.equal(mcpPort({ kind: 'starting' } as BridgeState, 8765), 8765);
  });

  it('changes identity when the bridge moves, restarts or gets a new token, not otherwise', () => {
    const base = bridgeIdentity(running(9001, 5), 8765, 'aa');
    assert.equal(bridgeIdentity(running(9001, 5), 8765, 'aa'), base);
    assert.notEqual(bridgeIdentity(running(9002, 5), 8765, 'aa'), base, 'port');
    assert.notEqual(bridgeIdentity(running(9001, 6), 8765, 'aa'), base, 'restart');
    assert.notEqual(bridgeIdentity(running(9001, 5), 8765, 'bb'), base, 'token');
    assert.notEqual(bridgeIdentity({ kind: 'error', message: 'x' }, 8765, 'aa'), base, 'stopped');
  });
});

describe('mcp snippets for other agents', () => {
  const URL = 'http://127.0.0.1:9123/mcp';
  const TOKEN = 'tok_abcdefghijklmnop';
  const snippets = mcpAgentSnippets(URL, TOKEN);
  const text = (id: string) => {
    const s = snippets.find((x) => x.id === id);
    assert.ok(s, id);
    return s.text;
  };

  it('covers Claude Code, Cursor, Continue and Cline', () => {
    assert.deepEqual(
      snippets.map((s) => s.id),
      ['mcp-claude-code', 'mcp-cursor', 'mcp-continue', 'mcp-cline'],
    );
  });

  it('Claude Code: one `claude mcp add --transport http` line with the bearer header', () => {
    assert.equal(
      text('mcp-claude-code'),
      `claude mcp add --transport http ${MCP_CONFIG_NAME} ${URL} --header "Authorization: Bearer ${TOKEN}"\n`,
    );
  });

  it('Cursor: mcpServers with url and headers', () => {
    assert.deepEqual(JSON.parse(text('mcp-cursor')), {
      mcpServers: { customgpt: { url: URL, headers: { Authorization: `Bearer ${TOKEN}` } } },
    });
  });

  it('Cline: the streamableHttp type spelled out (Cline would pick SSE without it)', () => {
    assert.deepEqual(JSON.parse(text('mcp-cline')), {
      mcpServers: {
        customgpt: {
          type: 'streamableHttp',
          url: URL,
          headers: { Authorization: `Bearer ${TOKEN}` },
          disabled: false,
          autoApprove: [],
        },
      },
    });
  });

  it('Continue: a streamable-http block with requestOptions.headers', () => {
    const lines = text('mcp-continue').split('\n');
    assert.ok(lines.includes('mcpServers:'));
    assert.ok(lines.includes('    type: streamable-http'));
    assert.ok(lines.includes(`    url: ${URL}`));
    assert.deepEqual(
      lines.slice(lines.indexOf('    requestOptions:'), lines.indexOf('    requestOptions:') + 3),
      ['    requestOptions:', '      headers:', `        Authorization: Bearer ${TOKEN}`],
    );
  });
});

describe('mcp manifest', () => {
  it('contributes the provider the code registers, labelled CustomGPT.ai, on VS Code >= 1.104', () => {
    const root = path.join(__dirname, '..', '..', '..', '..');
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      engines: { vscode: string };
      contributes: { mcpServerDefinitionProviders: { id: string; label: string }[] };
    };
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [
      { id: MCP_PROVIDER_ID, label: MCP_SERVER_LABEL },
    ]);
    assert.equal(manifest.engines.vscode, '^1.104.0');
  });
});
