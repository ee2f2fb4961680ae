// The MCP tools' pure parts: result shapes, error texts, project names, the sources page
// reader, progress numbering and the JSON-RPC request ids a POST carries.
import assert from 'node:assert/strict';
import { BridgeError } from '../../../../bridge/http/openai-error';
import { CitedPages, citedPageContents } from '../../../../bridge/mcp/citedPages';
import { requestIds } from '../../../../bridge/mcp/http';
import { progressReporter } from '../../../../bridge/mcp/progress';
import { matchProjectName } from '../../../../bridge/mcp/projectRef';
import { errorText, ToolInputError, toolError } from '../../../../bridge/mcp/toolError';
import { askProjectResult } from '../../../../bridge/mcp/tools/askProject';
import { listProjectSourcesResult } from '../../../../bridge/mcp/tools/listProjectSources';
import { listProjectsResult } from '../../../../bridge/mcp/tools/listProjects';
import { upstreamStatusError } from '../../../../bridge/upstream/errors';
import { parseSourcesPage } from '../../../../bridge/upstream/sources';

describe('mcp: askProjectResult', () => {
  it('gives the answer, sources, the continuation id and links to web citations only', () => {
    const r = askProjectResult(
      '1001',
      'Install it.',
      [
        { id: 1, title: 'Install', url: 'https://docs.example/install' },
        { id: 2, title: 'Notes', url: null },
      ],
      'abc-123',
    );
    const text = r.content[0];
    assert.equal(text?.type, 'text');
    assert.match(
      text.type === 'text' ? text.text : '',
      /^Install it\.\n\n\*\*Sources\*\*\n1\. \[Install\]\(https:\/\/docs\.example\/install\)\n2\. Notes\n\n\(conversation_id: abc-123;/,
    );
    assert.deepEqual(r.content.slice(1), [
      {
        type: 'resource_link',
        uri: 'https://docs.example/install',
        name: 'Install',
        title: 'Install',
      },
    ]);
    assert.deepEqual(r.structuredContent, {
      answer: 'Install it.',
      project: '1001',
      conversation_id: 'abc-123',
      citations: [
        { title: 'Install', url: 'https://docs.example/install' },
        { title: 'Notes', url: null },
      ],
    });
  });

  it('says nothing about continuing when there is no conversation (compat mode)', () => {
    const r = askProjectResult('1', 'Hi.', [], null);
    assert.deepEqual(r.content, [{ type: 'text', text: 'Hi.' }]);
  });
});

describe('mcp: tool errors', () => {
  it('keeps the bridge message and its code, with isError', () => {
    const r = toolError(upstreamStatusError(429, undefined, '', '1001'), (s) => s);
    assert.equal(r.isError, true);
    assert.match(
      errorText(upstreamStatusError(429, undefined, '', '1')),
      /rate-limiting.*\[rate_limit_exceeded\]$/,
    );
  });
  it('rewrites the HTTP-header advice of an unknown conversation for agents', () => {
    const e = new BridgeError(
      404,
      'x-customgpt-session-id ...',
      'not_found_error',
      'session_not_found',
    );
    assert.doesNotMatch(errorText(e), /x-customgpt-session-id/);
    assert.match(errorText(e), /without conversation_id/);
  });
  it('passes input errors through and redacts', () => {
    assert.equal(errorText(new ToolInputError('No project given.')), 'No project given.');
    const r = toolError(new Error('key sk-1 leaked'), (s) => s.replace('sk-1', '[redacted]'));
    assert.match((r.content[0] as { text: string }).text, /\[redacted\]/);
  });
});

describe('mcp: matchProjectName', () => {
  const projects = [
    { id: '1', name: 'Acme Docs' },
    { id: '2', name: ' Support ' },
  ];
  it('matches exactly, ignoring case and surrounding space', () => {
    assert.equal(matchProjectName(projects, 'acme docs'), '1');
    assert.equal(matchProjectName(projects, 'SUPPORT'), '2');
    assert.equal(matchProjectName(projects, 'Acme'), undefined);
  });
});

describe('mcp: parseSourcesPage', () => {
  it('reads the documented page shape', () => {
    const p = parseSourcesPage(
      {
        project: { id: 1 },
        pages: {
          current_page: 2,
          last_page: 3,
          per_page: 2,
          total: 6,
          data: [
            {
              id: 5,
              page_url: 'https://a.example/x',
              is_file: false,
              crawl_status: 'ok',
              index_status: 'ok',
              updated_at: '2024-01-01',
            },
            {
              id: 6,
              page_url: 'f.pdf',
              is_file: true,
              filename: 'f.pdf',
              crawl_status: 'ok',
              index_status: 'failed',
            },
            { page_url: 'no id' },
          ],
        },
      },
      1,
      20,
    );
    assert.deepEqual(p, {
      page: 2,
      lastPage: 3,
      total: 6,
      perPage: 2,
      sources: [
        {
          id: 5,
          url: 'https://a.example/x',
          kind: 'web',
          filename: null,
          crawlStatus: 'ok',
          indexStatus: 'ok',
          updatedAt: '2024-01-01',
        },
        {
          id: 6,
          url: 'f.pdf',
          kind: 'file',
          filename: 'f.pdf',
          crawlStatus: 'ok',
          indexStatus: 'failed',
          updatedAt: null,
        },
      ],
    });
  });
  it('falls back to what was asked when the page is not what the document says', () => {
    assert.deepEqual(parseSourcesPage(null, 4, 10), {
      page: 4,
      lastPage: 4,
      total: 0,
      perPage: 10,
      sources: [],
    });
  });
});

describe('mcp: list results', () => {
  it('list_projects marks the default project and says where the next page is', () => {
    const r = listProjectsResult(
      { page: 1, lastPage: 2, total: 3, projects: [{ id: '7', name: 'A', active: false }] },
      ['gpt-4-o'],
      '7',
    );
    assert.match(
      (r.content[0] as { text: string }).text,
      /- A \(id 7, model gpt-4-o, inactive, default\)\nMore projects: call again with page 2\./,
    );
  });
  it('list_project_sources on an empty page says so', () => {
    const r = listProjectSourcesResult('9', {
      page: 3,
      lastPage: 1,
      total: 0,
      perPage: 20,
      sources: [],
    });
    assert.equal(
      (r.content[0] as { text: string }).text,
      'Project 9 has no documents on page 3 (of 1).',
    );
  });
});

describe('mcp: progressReporter', () => {
  it('is silent without a progress token', () => {
    const sent: unknown[] = [];
    const p = progressReporter({ token: undefined, send: async (n) => void sent.push(n) });
    p.step('x');
    p.chars(10);
    p.stop();
    assert.equal(sent.length, 0);
  });
  it('numbers notifications upward and throttles per-character reports', () => {
    let now = 0;
    const sent: { progress: number; message?: string }[] = [];
    const p = progressReporter({
      token: 't',
      send: async (n) => void sent.push(n.params as { progress: number; message?: string }),
      throttleMs: 500,
      heartbeatMs: 60_000,
      now: () => now,
    });
    p.step('Asking');
    now = 100;
    p.chars(5); // throttled
    now = 700;
    p.chars(5);
    p.stop();
    p.step('after stop');
    assert.deepEqual(sent, [
      { progressToken: 't', progress: 1, message: 'Asking' },
      {
        progressToken: 't',
        progress: 2,
        message: 'CustomGPT.ai is answering (10 characters so far)',
      },
    ]);
  });
});

describe('mcp: requestIds', () => {
  it('takes the ids of requests, not of notifications or responses', () => {
    assert.deepEqual(
      requestIds([
        { jsonrpc: '2.0', id: 1, method: 'tools/call' },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, result: {} },
        { jsonrpc: '2.0', id: 'a', method: 'ping' },
      ]),
      [1, 'a'],
    );
    assert.deepEqual(requestIds(null), []);
  });
});

describe('mcp: CitedPages', () => {
  it('keeps http(s) citations only, newest last, bounded', () => {
    const pages = new CitedPages(2);
    pages.remember('1', [
      { id: 1, title: 'A', url: 'https://a.example/x' },
      { id: 2, title: 'B', url: 'javascript:alert(1)' },
      { id: 3, title: null, url: null },
    ]);
    pages.remember('2', [{ id: 4, title: 'C', url: 'http://c.example' }]);
    pages.remember('2', [{ id: 5, title: 'D', url: 'https://d.example/' }]);
    assert.deepEqual(
      pages.list().map((p) => p.uri),
      ['http://c.example/', 'https://d.example/'],
    );
    assert.equal(pages.get('https://a.example/x'), undefined, 'the oldest was forgotten');
    assert.match(
      (citedPageContents(pages.get('http://c.example')!).contents[0] as { text: string }).text,
      /^C\nhttp:\/\/c\.example\/\n\nCited by CustomGPT\.ai project 2\./,
    );
  });
});
