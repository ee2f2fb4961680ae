import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Citation } from '../../../../extension/chat/chatChunk';
import {
  EMPTY_ANSWER_MESSAGE,
  streamChat,
  streamChatRecovering,
} from '../../../../extension/chat/chatClient';
import { BRIDGE_UNREACHABLE, EMPTY_ANSWER } from '../../../../extension/core/errorWords';
import { CHAT_USER_AGENT, clientLabel } from '../../../../extension/status/clientLabel';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const chunk = (content: string, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
    ...extra,
  })}\n\n`;

describe('chat client', () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => handler(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  function run(sessionId?: string, signal = new AbortController().signal) {
    const deltas: string[] = [];
    const citations: Citation[][] = [];
    const sessions: string[] = [];
    const outcome = streamChat(
      {
        baseUrl,
        token: 'tok',
        messages: [{ role: 'user', content: 'Hi' }],
        sessionId,
        signal,
      },
      {
        onDelta: (d) => deltas.push(d),
        onCitations: (c) => citations.push(c),
        onSessionId: (s) => sessions.push(s),
      },
    );
    return { outcome, deltas, citations, sessions };
  }

  it('streams deltas, citations and the session id, with token and session headers', async () => {
    let seen: { auth?: string; session?: string; body?: unknown; path?: string } = {};
    handler = (req, body, res) => {
      seen = {
        auth: req.headers.authorization,
        session: req.headers['x-customgpt-session-id'] as string | undefined,
        body: JSON.parse(body),
        path: req.url,
      };
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'x-customgpt-session-id': 'sess-2',
      });
      res.write(': ping\n\n');
      res.write(chunk('Hello '));
      res.write(chunk('world'));
      res.write(
        chunk('', { citations: [{ id: 7, title: 'Doc', url: 'https://example.com/doc' }] }),
      );
      res.end('data: [DONE]\n\n');
    };
    const { outcome, deltas, citations, sessions } = run('sess-1');
    assert.deepEqual(await outcome, { kind: 'done', text: 'Hello world' });
    assert.deepEqual(deltas, ['Hello ', 'world']);
    assert.deepEqual(citations, [[{ id: '7', title: 'Doc', url: 'https://example.com/doc' }]]);
    assert.deepEqual(sessions, ['sess-2']);
    assert.equal(seen.path, '/v1/chat/completions');
    assert.equal(seen.auth, 'Bearer tok');
    assert.equal(seen.session, 'sess-1');
    assert.deepEqual(seen.body, {
      model: 'customgpt',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
  });

  it('reports the error message of a JSON error body', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Agent with id 1 not found', type: 'x' } }));
    };
    const { outcome } = run();
    assert.deepEqual(await outcome, {
      kind: 'error',
      message: 'Agent with id 1 not found',
      text: '',
      status: 404,
    });
  });

  it("reports an error's status, code and Retry-After, so the Chat view can say what to do", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(
        JSON.stringify({
          error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' },
        }),
      );
    };
    assert.deepEqual(await run().outcome, {
      kind: 'error',
      message: 'slow down',
      text: '',
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfter: '7',
    });
  });

  it("asks a named project at CustomGPT.ai's path form and reports the final chunk's prompt_id", async () => {
    let path: string | undefined;
    handler = (req, _body, res) => {
      path = req.url;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('Answer'));
      res.write(chunk('', { prompt_id: 433, citations: [] }));
      res.end('data: [DONE]\n\n');
    };
    const promptIds: number[] = [];
    const outcome = await streamChat(
      {
        baseUrl,
        token: 'tok',
        messages: [{ role: 'user', content: 'Hi' }],
        project: '1002',
        signal: new AbortController().signal,
      },
      {
        onDelta: () => undefined,
        onCitations: () => undefined,
        onSessionId: () => undefined,
        onPromptId: (id) => promptIds.push(id),
      },
    );
    assert.deepEqual(outcome, { kind: 'done', text: 'Answer' });
    assert.equal(path, '/api/v1/projects/1002/chat/completions');
    assert.deepEqual(promptIds, [433]);
  });

  it('keeps the code of an error event inside the stream', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        `data: ${JSON.stringify({ error: { message: 'gone', code: 'upstream_stream_error' } })}\n\n`,
      );
    };
    assert.deepEqual(await run().outcome, {
      kind: 'error',
      message: 'gone',
      text: '',
      code: 'upstream_stream_error',
    });
  });

  it('reports an error event inside the stream, keeping the partial text', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('Part'));
      res.end(`data: ${JSON.stringify({ error: { message: 'upstream broke' } })}\n\n`);
    };
    assert.deepEqual(await run().outcome, {
      kind: 'error',
      message: 'upstream broke',
      text: 'Part',
    });
  });

  it('treats an empty answer as an error', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: [DONE]\n\n');
    };
    assert.deepEqual(await run().outcome, {
      kind: 'error',
      message: EMPTY_ANSWER_MESSAGE,
      text: '',
      code: EMPTY_ANSWER,
    });
  });

  it('stops when aborted and returns what arrived', async () => {
    const abort = new AbortController();
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('Partial'));
      // Never ends: only the abort finishes this request.
    };
    const { outcome, deltas } = run(undefined, abort.signal);
    while (deltas.length === 0) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    assert.deepEqual(await outcome, { kind: 'aborted', text: 'Partial' });
  });

  it('says the bridge is unreachable when nothing listens', async () => {
    const result = await streamChat(
      {
        baseUrl: 'http://127.0.0.1:1/v1',
        token: 't',
        messages: [],
        signal: new AbortController().signal,
      },
      { onDelta: () => undefined, onCitations: () => undefined, onSessionId: () => undefined },
    );
    assert.equal(result.kind, 'error');
    assert.match(result.kind === 'error' ? result.message : '', /Could not reach the bridge/);
  });

  describe('a conversation lost upstream', () => {
    const notFound = (code: string) =>
      JSON.stringify({
        error: { message: 'CustomGPT.ai has no conversation x', type: 'not_found_error', code },
      });

    function ask(sessionId: string | undefined) {
      const lost: number[] = [];
      const sessions: string[] = [];
      const outcome = streamChatRecovering(
        {
          baseUrl,
          token: 'tok',
          messages: [
            { role: 'user', content: 'Hi' },
            { role: 'assistant', content: 'Hello' },
            { role: 'user', content: 'More?' },
          ],
          sessionId,
          signal: new AbortController().signal,
        },
        {
          onDelta: () => undefined,
          onCitations: () => undefined,
          onSessionId: (s) => sessions.push(s),
          onSessionLost: () => lost.push(1),
        },
      );
      return { outcome, lost, sessions };
    }

    it('on 404 session_not_found drops the session and asks again without it', async () => {
      const seen: (string | undefined)[] = [];
      const bodies: unknown[] = [];
      handler = (req, body, res) => {
        const session = req.headers['x-customgpt-session-id'] as string | undefined;
        seen.push(session);
        bodies.push(JSON.parse(body));
        if (session) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(notFound('session_not_found'));
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'x-customgpt-session-id': 'new-1',
        });
        res.write(chunk('Fresh answer'));
        res.end('data: [DONE]\n\n');
      };
      const { outcome, lost, sessions } = ask('old-session');
      const result = await outcome;
      assert.deepEqual(result, { kind: 'done', text: 'Fresh answer' });
      assert.deepEqual(seen, ['old-session', undefined], 'asked again without the session');
      assert.deepEqual(bodies[1], bodies[0], 'the same question and history, once more');
      assert.equal(lost.length, 1);
      assert.deepEqual(sessions, ['new-1']);
    });

    it('asks only once more, and not at all for other 404s or without a session', async () => {
      let calls = 0;
      handler = (_req, _body, res) => {
        calls++;
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(notFound(calls === 1 ? 'session_not_found' : 'model_not_found'));
      };
      const first = ask('old-session');
      assert.equal((await first.outcome).kind, 'error');
      assert.equal(calls, 2);
      calls = 0;
      const other = ask(undefined);
      assert.equal((await other.outcome).kind, 'error');
      assert.equal(calls, 1);
      assert.deepEqual(other.lost, []);
    });
  });

  it('names itself "CustomGPT chat" in its User-Agent (issue 9.6)', async () => {
    let ua: string | undefined;
    handler = (req, _body, res) => {
      ua = req.headers['user-agent'];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${chunk('Hi')}data: [DONE]\n\n`);
    };
    await run().outcome;
    assert.equal(ua, CHAT_USER_AGENT);
    assert.equal(clientLabel(ua ?? ''), 'CustomGPT chat');
  });

  it('gives error codes: the bridge code, and bridge_unreachable for a cut connection (issue 9.9)', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'rejected', code: 'customgpt_key_rejected' } }));
    };
    const rejected = await run().outcome;
    assert.equal(rejected.kind === 'error' && rejected.code, 'customgpt_key_rejected');
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('Part'));
      setTimeout(() => res.destroy(), 50); // the bridge restarts mid-answer
    };
    const cut = await run().outcome;
    assert.equal(cut.kind, 'error');
    assert.equal(cut.kind === 'error' && cut.code, BRIDGE_UNREACHABLE);
  });
});
