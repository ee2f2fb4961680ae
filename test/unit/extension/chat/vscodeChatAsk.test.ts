// askBridge: one Chat view answer from a bridge-shaped server (a real socket): the project's
// path, the session header, the prompt id and citations, and a forgotten session asked again.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { askBridge } from '../../../../extension/chat/vscode/ask';

const frame = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;

describe('VS Code Chat: askBridge', () => {
  let server: Server;
  let baseUrl = '';
  const seen: { path: string | undefined; session: string | undefined }[] = [];
  let forget = false;
  /** Answers one delta, then holds the stream open until the client leaves. */
  let hang = false;
  let clientLeft: Promise<void> = Promise.resolve();

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      req.resume();
      req.on('end', () => {
        const session = req.headers['x-customgpt-session-id'] as string | undefined;
        seen.push({ path: req.url, session });
        if (forget && session) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'gone', code: 'session_not_found' } }));
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'x-customgpt-session-id': 's-new',
        });
        res.write(frame({ choices: [{ index: 0, delta: { content: 'Answer' } }] }));
        if (hang) {
          clientLeft = new Promise((resolve) => res.on('close', () => resolve()));
          return;
        }
        res.write(
          frame({
            choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
            citations: [{ id: 1, title: 'Doc', url: 'https://docs.example/a' }],
            prompt_id: 77,
          }),
        );
        res.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    seen.length = 0;
    forget = false;
    hang = false;
  });

  const ask = (sessionId?: string) => {
    const deltas: string[] = [];
    return askBridge(
      {
        baseUrl,
        token: 't',
        project: '1002',
        messages: [{ role: 'user', content: 'Q' }],
        sessionId,
        signal: new AbortController().signal,
      },
      (d) => deltas.push(d),
    ).then((answered) => ({ ...answered, deltas }));
  };

  it("asks the thread's project, continues its session, returns session, prompt id, citations", async () => {
    const answered = await ask('s-old');
    assert.deepEqual(seen, [{ path: '/api/v1/projects/1002/chat/completions', session: 's-old' }]);
    assert.deepEqual(answered.outcome, { kind: 'done', text: 'Answer' });
    assert.equal(answered.sessionId, 's-new');
    assert.equal(answered.promptId, 77);
    assert.deepEqual(answered.citations, [
      { id: '1', title: 'Doc', url: 'https://docs.example/a' },
    ]);
    assert.deepEqual(answered.deltas, ['Answer']);
  });

  it('a session CustomGPT.ai forgot is asked again in a new conversation', async () => {
    forget = true;
    const answered = await ask('s-deleted');
    assert.deepEqual(
      seen.map((s) => s.session),
      ['s-deleted', undefined],
    );
    assert.equal(answered.outcome.kind, 'done');
    assert.equal(answered.sessionId, 's-new');
  });

  it('a cancelled Chat view request ends the bridge request (the bridge then stops the upstream)', async () => {
    hang = true;
    const abort = new AbortController();
    const deltas: string[] = [];
    const answered = askBridge(
      {
        baseUrl,
        token: 't',
        project: '1002',
        messages: [{ role: 'user', content: 'Q' }],
        signal: abort.signal,
      },
      (d) => {
        deltas.push(d);
        abort.abort(); // what VS Code's cancellation token does (provider.ts)
      },
    );
    const outcome = (await answered).outcome;
    assert.equal(outcome.kind, 'aborted');
    assert.deepEqual(deltas, ['Answer']);
    let timer: NodeJS.Timeout | undefined;
    const left = await Promise.race([
      clientLeft.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 5000);
      }),
    ]);
    clearTimeout(timer);
    assert.ok(left, 'the bridge saw the request closed');
  });
});
