// A third-party MCP client against the bridge: the MCP Inspector CLI lists the tools (with its
// --strict schema portability check) and calls ask_project over Streamable HTTP with the
// bridge's token. The answer must be the simulator's, with its citation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { answerFor } from '../../bridge/simulator/index.js';
import { ensureInspector, runInspector } from '../support/mcp-inspector.js';
import { CITED_PROMPT, isMessageSend, type Stack, startStack } from './harness.js';

describe('MCP Inspector CLI against /mcp', function () {
  this.timeout(240_000);
  let stack: Stack;
  let home: string;

  before(async () => {
    ensureInspector();
    home = mkdtempSync(path.join(tmpdir(), 'mcp-inspector-'));
    stack = await startStack();
  });
  after(async () => {
    await stack?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const target = () => [
    `${stack.bridge.origin}/mcp`,
    '--header',
    `Authorization: Bearer ${stack.bridge.token}`,
  ];

  it('lists the three tools, portable schemas (--strict)', async () => {
    const r = await runInspector([...target(), '--method', 'tools/list', '--strict'], home);
    assert.equal(r.code, 0, `inspector exit ${r.code}: ${r.stderr}`);
    const names = (JSON.parse(r.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
    assert.deepEqual(names.sort(), ['ask_project', 'list_project_sources', 'list_projects']);
  });

  it('calls ask_project and gets the project answer with its source', async () => {
    const r = await runInspector(
      [
        ...target(),
        '--method',
        'tools/call',
        '--tool-name',
        'ask_project',
        '--tool-arg',
        `question=${CITED_PROMPT}`,
      ],
      home,
    );
    assert.equal(r.code, 0, `inspector exit ${r.code}: ${r.stderr}`);
    const result = JSON.parse(r.stdout) as {
      isError?: boolean;
      structuredContent: { answer: string; citations: { url: string }[] };
    };
    assert.notEqual(result.isError, true);
    assert.equal(result.structuredContent.answer, answerFor(CITED_PROMPT).text);
    assert.match(result.structuredContent.citations[0]!.url, /installation$/);
    assert.equal(stack.sim.requests.filter(isMessageSend).length, 1);
  });

  it('is refused without the token', async () => {
    const r = await runInspector([`${stack.bridge.origin}/mcp`, '--method', 'tools/list'], home);
    assert.notEqual(r.code, 0);
    assert.equal(stack.sim.requests.filter(isMessageSend).length, 1, 'no upstream call');
  });
});
