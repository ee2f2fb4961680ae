// The MCP surface (bridge/mcp/) end to end: the official MCP SDK client against the bridge's
// /mcp (Streamable HTTP) and against `dist/bridge.js --mcp-stdio`, with the CustomGPT.ai
// simulator behind. Every assertion about the upstream reads the simulator's own log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { answerFor, KNOWLEDGE } from '../../bridge/simulator/index.js';
import { BRIDGE_JS, cleanEnv, ensureBuilt } from '../support/bridge-cli.js';
import {
  CITED_PROMPT,
  isConversationCreate,
  isMessageSend,
  PROJECT_ID,
  requestsSince,
  type Stack,
  startStack,
} from './harness.js';
import { callOk, httpClient, resultText, stdioClient } from './mcp-client.js';

const TOOLS = ['ask_project', 'list_project_sources', 'list_projects'];

interface AskStructured {
  answer: string;
  project: string;
  conversation_id: string | null;
  citations: { title: string | null; url: string | null }[];
}

const expectedCitations = (prompt: string) =>
  answerFor(prompt).citationIds.map((id) => {
    const doc = KNOWLEDGE.find((d) => d.citationId === id)!;
    return { title: doc.title, url: doc.url };
  });

/** Polls until `check` holds (generous bound: the machine is shared). */
async function eventually(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}

describe('MCP over Streamable HTTP (/mcp)', () => {
  let stack: Stack;
  let client: Client;

  before(async () => {
    stack = await startStack({ sim: { projectCount: 12 } });
    ({ client } = await httpClient(stack.bridge));
  });
  after(async () => {
    await client?.close();
    await stack?.close();
  });
  beforeEach(() => stack.sim.reset());

  it('lists its three tools with input and output schemas, read-only', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
    for (const t of tools) {
      assert.ok((t.description ?? '').length > 80, `${t.name} has a real description`);
      assert.equal(t.inputSchema.type, 'object');
      assert.equal(t.outputSchema?.type, 'object', `${t.name} declares its output`);
      assert.equal(t.annotations?.readOnlyHint, true, `${t.name} is read-only`);
    }
    const ask = tools.find((t) => t.name === 'ask_project')!;
    assert.deepEqual(ask.inputSchema.required, ['question']);
    assert.ok(ask.inputSchema.properties?.conversation_id, 'ask_project takes a conversation id');
  });

  it('ask_project answers with citations as text, structured content and resource links', async () => {
    const r = await callOk(client, 'ask_project', { question: CITED_PROMPT });
    const s = r.structuredContent as unknown as AskStructured;
    const expected = answerFor(CITED_PROMPT);
    assert.equal(s.answer, expected.text);
    assert.equal(s.project, PROJECT_ID);
    assert.deepEqual(s.citations, expectedCitations(CITED_PROMPT));
    assert.match(s.conversation_id ?? '', /^[A-Za-z0-9-]+$/);
    const text = resultText(r);
    assert.ok(text.startsWith(expected.text), 'the text starts with the answer');
    assert.match(
      text,
      /\*\*Sources\*\*\n1\. \[Installing Acme Rocket\]\(https:\/\/docs\.acme-rocket\.example/,
    );
    assert.ok(text.includes(s.conversation_id!), 'the text says how to continue');
    const links = r.content.filter((c) => c.type === 'resource_link');
    assert.deepEqual(
      links.map((l) => (l.type === 'resource_link' ? l.uri : '')),
      expectedCitations(CITED_PROMPT).map((c) => c.url),
    );
    // The upstream saw one conversation and one streamed message with the question.
    const sent = stack.sim.requests.filter(isMessageSend);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.query.stream, 'true');
    assert.deepEqual(sent[0]!.body, { prompt: CITED_PROMPT });
  });

  it("the answer's resource links can be read back: the session's cited pages as resources", async () => {
    const r = await callOk(client, 'ask_project', { question: CITED_PROMPT });
    const link = r.content.find((c) => c.type === 'resource_link');
    assert.ok(link && link.type === 'resource_link');
    const { resources } = await client.listResources();
    assert.ok(resources.some((x) => x.uri === link.uri && x.name === 'Installing Acme Rocket'));
    const read = await client.readResource({ uri: link.uri });
    const body = read.contents[0] as { text?: string };
    assert.match(
      body.text ?? '',
      /^Installing Acme Rocket\nhttps:\/\/docs\.acme-rocket\.example\/getting-started\/installation\n/,
    );
    assert.match(body.text ?? '', /Cited by CustomGPT\.ai project 1001/);
    await assert.rejects(
      client.readResource({ uri: 'https://evil.example/not-cited' }),
      /not cited/,
    );
  });

  // Review finding M1: ask_project with conversation_id sends only the new question, so the
  // question and its answer are no transcript of that conversation and must not be remembered
  // as one (a chat with the same question and answer would be led into it).
  it('ask_project with conversation_id never takes over a chat with the same question and answer', async () => {
    const Q = 'What is the airspeed of an unladen swallow?';
    const chat = stack.client({ maxRetries: 0 }).chat.completions;
    const { data: b1, response } = await chat
      .create({ model: 'x', messages: [{ role: 'user', content: Q }] })
      .withResponse();
    const chatSession = response.headers.get('x-customgpt-session-id');
    const a = b1.choices[0]!.message.content!;
    const first = await callOk(client, 'ask_project', { question: CITED_PROMPT });
    const conversation = (first.structuredContent as unknown as AskStructured).conversation_id!;
    const asked = await callOk(client, 'ask_project', {
      question: Q,
      conversation_id: conversation,
    });
    assert.equal((asked.structuredContent as unknown as AskStructured).answer, a);
    const since = stack.sim.requests.length;
    await chat.create({
      model: 'x',
      messages: [
        { role: 'user', content: Q },
        { role: 'assistant', content: a },
        { role: 'user', content: 'And a laden one?' },
      ],
    });
    const sent = requestsSince(stack.sim, since).filter(isMessageSend);
    assert.equal(sent.length, 1);
    assert.equal(
      sent[0]!.path,
      `/api/v1/projects/${PROJECT_ID}/conversations/${chatSession}/messages`,
      'the chat continued its own conversation',
    );
  });

  it('ask_project continues the conversation it returned (same upstream session, no new one)', async () => {
    const first = await callOk(client, 'ask_project', { question: CITED_PROMPT });
    const conversation = (first.structuredContent as unknown as AskStructured).conversation_id!;
    const since = stack.sim.requests.length;
    const second = await callOk(client, 'ask_project', {
      question: 'And how do routes work?',
      conversation_id: conversation,
    });
    assert.equal(
      (second.structuredContent as unknown as AskStructured).conversation_id,
      conversation,
    );
    const after = requestsSince(stack.sim, since);
    assert.equal(after.filter(isConversationCreate).length, 0, 'no new conversation');
    const sent = after.filter(isMessageSend);
    assert.equal(sent.length, 1);
    assert.equal(
      sent[0]!.path,
      `/api/v1/projects/${PROJECT_ID}/conversations/${conversation}/messages`,
    );
    assert.deepEqual(sent[0]!.body, { prompt: 'And how do routes work?' }, 'only the new question');
  });

  it('ask_project takes a project by name, and says so when a conversation is unknown', async () => {
    const r = await callOk(client, 'ask_project', {
      question: CITED_PROMPT,
      project: 'acme rocket support',
    });
    assert.equal((r.structuredContent as unknown as AskStructured).project, '1002');
    assert.ok(
      stack.sim.requests.some((q) => isMessageSend(q) && q.path.includes('/projects/1002/')),
    );
    const gone = (await client.callTool({
      name: 'ask_project',
      arguments: { question: 'hi', conversation_id: '00000000-0000-0000-0000-000000000000' },
    })) as CallToolResult;
    assert.equal(gone.isError, true);
    assert.match(resultText(gone), /no such conversation.*without conversation_id/);
    const unknown = (await client.callTool({
      name: 'ask_project',
      arguments: { question: 'hi', project: 'No Such Project' },
    })) as CallToolResult;
    assert.equal(unknown.isError, true);
    assert.match(resultText(unknown), /No project is named "No Such Project".*list_projects/);
  });

  it('ask_project sends progress notifications when the client asks for them', async () => {
    const seen: { progress: number; message?: string }[] = [];
    const r = (await client.callTool(
      { name: 'ask_project', arguments: { question: CITED_PROMPT } },
      undefined,
      {
        onprogress: (p) => seen.push(p),
      },
    )) as CallToolResult;
    assert.notEqual(r.isError, true);
    assert.ok(seen.length >= 1, 'at least one progress notification');
    assert.match(seen[0]!.message ?? '', /Asking CustomGPT\.ai project 1001/);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.progress > seen[i - 1]!.progress);
  });

  it('list_projects pages through the account with each project model', async () => {
    const one = await callOk(client, 'list_projects', {});
    const p1 = one.structuredContent as {
      page: number;
      last_page: number;
      total: number;
      projects: { id: string; name: string; model: string; is_default: boolean }[];
    };
    assert.equal(p1.page, 1);
    assert.equal(p1.last_page, 2);
    assert.equal(p1.total, 12);
    assert.equal(p1.projects.length, 10);
    const docs = p1.projects.find((p) => p.id === '1001');
    const two = await callOk(client, 'list_projects', { page: 2 });
    const p2 = two.structuredContent as typeof p1;
    assert.equal(p2.projects.length, 2);
    const all = [...p1.projects, ...p2.projects];
    assert.equal(new Set(all.map((p) => p.id)).size, 12, 'no project twice');
    const rocket = docs ?? all.find((p) => p.id === '1001')!;
    assert.deepEqual(rocket, {
      id: '1001',
      name: 'Acme Rocket Docs',
      model: 'gpt-4-o',
      active: true,
      is_default: true,
    });
    assert.match(resultText(one), /page 1 of 2 \(12 in all\)[\s\S]*call again with page 2/);
    assert.ok(
      stack.sim.requests.some((q) => q.path === '/api/v1/projects' && q.query.page === '2'),
    );
  });

  it('list_project_sources pages through the documents a project knows', async () => {
    const one = await callOk(client, 'list_project_sources', { per_page: 4 });
    const p1 = one.structuredContent as {
      project: string;
      page: number;
      last_page: number;
      total: number;
      sources: { url: string; kind: string; index_status: string }[];
    };
    assert.equal(p1.project, PROJECT_ID);
    assert.deepEqual([p1.page, p1.last_page, p1.total, p1.sources.length], [1, 2, 7, 4]);
    const two = await callOk(client, 'list_project_sources', {
      project: '1002',
      page: 2,
      per_page: 4,
    });
    const p2 = two.structuredContent as typeof p1;
    assert.deepEqual([p2.project, p2.page, p2.sources.length], ['1002', 2, 3]);
    const all = [...p1.sources, ...p2.sources];
    const file = all.find((s) => s.kind === 'file');
    assert.deepEqual(file && [file.url, file.index_status], ['acme-rocket-handbook.pdf', 'queued']);
    for (const doc of KNOWLEDGE)
      assert.ok(
        all.some((s) => s.url === doc.url),
        `${doc.url} listed`,
      );
    assert.match(resultText(one), /file acme-rocket-handbook\.pdf \(index: queued\)/);
    const asked = stack.sim.requests.filter((q) => q.path.endsWith('/pages'));
    assert.deepEqual(
      asked.map((q) => [q.path, q.query.page, q.query.limit]),
      [
        [`/api/v1/projects/${PROJECT_ID}/pages`, '1', '4'],
        ['/api/v1/projects/1002/pages', '2', '4'],
      ],
    );
  });

  for (const [status, pattern] of [
    [401, /CustomGPT\.ai rejected the API key \(HTTP 401\)/],
    [429, /CustomGPT\.ai is rate-limiting this key \(HTTP 429\)/],
    [500, /CustomGPT\.ai answered with HTTP 500/],
    [503, /CustomGPT\.ai answered with HTTP 503/],
  ] as const) {
    it(`an upstream ${status} is a tool error with a clear text, not a protocol failure`, async () => {
      stack.sim.injectFault({ kind: 'status', status, match: '/conversations', times: 1 });
      const r = (await client.callTool({
        name: 'ask_project',
        arguments: { question: CITED_PROMPT },
      })) as CallToolResult;
      assert.equal(r.isError, true);
      assert.match(resultText(r), pattern);
      assert.equal(r.structuredContent, undefined);
      stack.sim.injectFault({ kind: 'status', status, match: '/pages', times: 1 });
      const s = (await client.callTool({
        name: 'list_project_sources',
        arguments: {},
      })) as CallToolResult;
      assert.equal(s.isError, true);
      assert.match(resultText(s), pattern);
    });
  }

  it('an answer that breaks off mid-stream is a tool error', async () => {
    stack.sim.injectFault({ kind: 'error-event', message: 'Model overloaded' });
    const r = (await client.callTool({
      name: 'ask_project',
      arguments: { question: CITED_PROMPT },
    })) as CallToolResult;
    assert.equal(r.isError, true);
    assert.match(resultText(r), /Model overloaded/);
  });

  it('rejects a session it does not know, and ends one on DELETE', async () => {
    const { client: other, transport } = await httpClient(stack.bridge);
    const sid = transport.sessionId!;
    assert.ok(sid);
    await transport.terminateSession();
    await other.close();
    const res = await mcpPost(
      stack,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-session-id': sid },
    );
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, -32001);
  });
});

describe('MCP cancellation reaches the upstream', () => {
  let stack: Stack;
  before(async () => {
    // Slow enough that the answer is still streaming when the client gives up.
    stack = await startStack({ sim: { chunkDelayMs: 150, chunkSize: 4 } });
  });
  after(() => stack?.close());
  beforeEach(() => stack.sim.reset());

  const streamStarted = () => stack.sim.streams.length === 1;
  const upstreamAborted = () => stack.sim.streams[0]?.outcome === 'client-aborted';

  it('notifications/cancelled (an aborted callTool) aborts the upstream answer', async () => {
    const { client } = await httpClient(stack.bridge);
    try {
      const abort = new AbortController();
      const call = client.callTool(
        { name: 'ask_project', arguments: { question: CITED_PROMPT } },
        undefined,
        {
          signal: abort.signal,
        },
      );
      call.catch(() => undefined);
      await eventually('the upstream stream started', streamStarted);
      abort.abort('user pressed stop');
      await assert.rejects(call);
      await eventually('the simulator saw the client abort', upstreamAborted);
    } finally {
      await client.close();
    }
  });

  it('closing the HTTP request of a tools/call aborts the upstream answer', async () => {
    const { client, transport } = await httpClient(stack.bridge);
    try {
      const abort = new AbortController();
      const res = await mcpPost(
        stack,
        {
          jsonrpc: '2.0',
          id: 77,
          method: 'tools/call',
          params: { name: 'ask_project', arguments: { question: CITED_PROMPT } },
        },
        {
          'mcp-session-id': transport.sessionId!,
          'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18',
        },
        abort.signal,
      );
      assert.equal(res.status, 200);
      await eventually('the upstream stream started', streamStarted);
      abort.abort();
      await eventually('the simulator saw the client abort', upstreamAborted);
    } finally {
      await client.close();
    }
  });
});

describe('MCP endpoint guard', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack?.close());

  const init = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'x', version: '1' },
    },
  };

  it('accepts initialize with the token (the control case)', async () => {
    const res = await rawPost(stack, init, { authorization: `Bearer ${stack.bridge.token}` });
    assert.equal(res.status, 200);
    assert.ok(res.headers['mcp-session-id']);
  });

  it('refuses a request without the bearer token (401)', async () => {
    const res = await rawPost(stack, init, {});
    assert.equal(res.status, 401);
    assert.match(res.body, /Missing bearer token/);
    const wrong = await rawPost(stack, init, { authorization: 'Bearer not-the-token-at-all' });
    assert.equal(wrong.status, 401);
  });

  it('refuses a foreign Origin even with the token (403)', async () => {
    const res = await rawPost(stack, init, {
      authorization: `Bearer ${stack.bridge.token}`,
      origin: 'https://evil.example',
    });
    assert.equal(res.status, 403);
    assert.match(res.body, /forbidden_origin/);
  });

  it('refuses a forged Host (DNS rebinding) even with the token (403)', async () => {
    const res = await rawPost(stack, init, {
      authorization: `Bearer ${stack.bridge.token}`,
      host: `evil.example:${stack.bridge.port}`,
    });
    assert.equal(res.status, 403);
    assert.match(res.body, /forbidden_host/);
  });

  it('GET and DELETE /mcp without a session id are a 400, with an unknown one a 404', async () => {
    const auth = { authorization: `Bearer ${stack.bridge.token}` };
    for (const method of ['GET', 'DELETE']) {
      assert.equal((await rawRequest(stack, method, undefined, auth)).status, 400, method);
      const gone = await rawRequest(stack, method, undefined, {
        ...auth,
        'mcp-session-id': 'nope',
      });
      assert.equal(gone.status, 404, method);
    }
  });

  it('GET and DELETE /mcp need the token too', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await rawRequest(stack, method, undefined, {});
      assert.equal(res.status, 401, `${method} without token`);
    }
  });
});

describe('MCP over stdio (dist/bridge.js --mcp-stdio)', () => {
  let stack: Stack;
  let client: Client;
  let stderr: () => string;

  before(async function () {
    this.timeout(120_000);
    ensureBuilt();
    stack = await startStack();
    ({ client, stderr } = await stdioClient(
      ['--upstream', stack.sim.url, '--project', PROJECT_ID],
      { CUSTOMGPT_API_KEY: stack.sim.apiKey },
    ));
  });
  after(async () => {
    await client?.close();
    await stack?.close();
  });
  beforeEach(() => stack.sim.reset());

  it('lists the tools and calls each of them', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
    const ask = await callOk(client, 'ask_project', { question: CITED_PROMPT });
    const s = ask.structuredContent as unknown as AskStructured;
    assert.equal(s.answer, answerFor(CITED_PROMPT).text);
    assert.deepEqual(s.citations, expectedCitations(CITED_PROMPT));
    const since = stack.sim.requests.length;
    await callOk(client, 'ask_project', {
      question: 'And routes?',
      conversation_id: s.conversation_id,
    });
    assert.equal(requestsSince(stack.sim, since).filter(isConversationCreate).length, 0);
    const projects = await callOk(client, 'list_projects', {});
    assert.equal((projects.structuredContent as { total: number }).total, 3);
    const sources = await callOk(client, 'list_project_sources', { page: 1 });
    assert.equal((sources.structuredContent as { total: number }).total, 7);
    // Every upstream call carried the key from the environment.
    assert.ok(stack.sim.requests.every((q) => q.authorized));
  });

  it('an upstream 429 is a tool error', async () => {
    stack.sim.injectFault({ kind: 'status', status: 429, match: '/conversations' });
    const r = (await client.callTool({
      name: 'ask_project',
      arguments: { question: CITED_PROMPT },
    })) as CallToolResult;
    assert.equal(r.isError, true);
    assert.match(resultText(r), /rate-limiting/);
  });

  it('cancellation reaches the upstream', async function () {
    this.timeout(30_000);
    const slow = await startStack({ sim: { chunkDelayMs: 150, chunkSize: 4 } });
    const { client: c } = await stdioClient(['--upstream', slow.sim.url, '--project', PROJECT_ID], {
      CUSTOMGPT_API_KEY: slow.sim.apiKey,
    });
    try {
      const abort = new AbortController();
      const call = c.callTool(
        { name: 'ask_project', arguments: { question: CITED_PROMPT } },
        undefined,
        { signal: abort.signal },
      );
      call.catch(() => undefined);
      await eventually('the upstream stream started', () => slow.sim.streams.length === 1);
      abort.abort();
      await eventually(
        'the simulator saw the abort',
        () => slow.sim.streams[0]?.outcome === 'client-aborted',
      );
    } finally {
      await c.close();
      await slow.close();
    }
  });

  it('stdout carries JSON-RPC only, and the process ends when stdin closes', async () => {
    const child = spawn(process.execPath, [BRIDGE_JS, '--mcp-stdio', '--upstream', stack.sim.url], {
      env: cleanEnv({ CUSTOMGPT_API_KEY: stack.sim.apiKey }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`,
    );
    await eventually('the initialize answer', () => out.includes('\n'));
    child.stdin.end();
    assert.equal(await exited, 0, 'exit code 0 once stdin closed');
    const lines = out.split('\n').filter((l) => l !== '');
    assert.ok(lines.length >= 1);
    for (const line of lines)
      assert.equal((JSON.parse(line) as { jsonrpc: string }).jsonrpc, '2.0', line);
    assert.doesNotMatch(out, /"event":"ready"|"level":/, 'no ready line, no log line on stdout');
  });

  it('logs only to stderr and never the key', () => {
    assert.match(stderr(), /MCP server on stdio/);
    assert.ok(!stderr().includes(stack.sim.apiKey), 'the key is not logged');
  });
});

/** A raw JSON-RPC POST to /mcp with the token and the Accept header the spec asks for. */
function mcpPost(
  stack: Stack,
  body: unknown,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${stack.bridge.origin}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.bridge.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
    signal,
  });
}

/** node:http, so Host can be forged (fetch forbids setting it). */
function rawRequest(
  stack: Stack,
  method: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const text = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: stack.bridge.port,
        path: '/mcp',
        method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(text ? { 'content-length': Buffer.byteLength(text) } : {}),
          ...headers,
        },
      },
      (res) => {
        let out = '';
        res.setEncoding('utf8');
        // An SSE answer stays open: the first chunk is enough.
        res.on('data', (d: string) => {
          out += d;
          if (res.statusCode === 200) res.destroy();
        });
        const done = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: out });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

function rawPost(stack: Stack, body: unknown, headers: Record<string, string>) {
  return rawRequest(stack, 'POST', body, headers);
}
