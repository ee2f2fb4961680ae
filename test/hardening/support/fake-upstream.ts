// A tiny stand-in for CustomGPT.ai whose answer stream is whatever the test scripts: arbitrary
// bytes, statuses and endings (fuzzing), or an endless stream that counts what it wrote
// (backpressure). Settings, conversation creation and citations get fixed, valid answers.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drained } from '../../../bridge/http/drained';

export { drained };

/** Plays one answer: the messages call (native) or the chat/completions call (compat). */
export type AnswerScript = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface FakeUpstream {
  url: string;
  /** What answers the next answer calls; replace it between cases. */
  script: AnswerScript;
  /** Answer calls received so far. */
  answerCalls: number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

export async function startFakeUpstream(script: AnswerScript): Promise<FakeUpstream> {
  const fake: FakeUpstream = {
    url: '',
    script,
    answerCalls: 0,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      res.on('error', () => undefined);
      if (req.method === 'GET' && path.endsWith('/settings')) {
        return json(res, 200, { status: 'success', data: { chatbot_model: 'gpt-4-o' } });
      }
      if (req.method === 'POST' && path.endsWith('/conversations')) {
        return json(res, 201, { status: 'success', data: { session_id: randomUUID() } });
      }
      const citation = /\/citations\/(\d+)$/.exec(path);
      if (req.method === 'GET' && citation) {
        const id = Number(citation[1]);
        return json(res, 200, {
          status: 'success',
          data: { id, title: `Doc ${id}`, url: `https://docs.example/${id}` },
        });
      }
      if (req.method === 'POST' && (path.endsWith('/messages') || path.endsWith('/completions'))) {
        fake.answerCalls++;
        Promise.resolve(fake.script(req, res)).catch(() => res.destroy());
        return;
      }
      json(res, 404, { status: 'error', data: { code: 404, message: 'Not Found' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}

/** A native progress event carrying `text`. */
export const progressEvent = (text: string) =>
  `data: ${JSON.stringify({ status: 'progress', message: text })}\n\n`;
export const START_EVENT = `data: ${JSON.stringify({ status: 'start', prompt: 'q' })}\n\n`;
export const finishEvent = (citations: number[] = []) =>
  `data: ${JSON.stringify({ status: 'finish', id: 1, session_id: 's', citations })}\n\n`;

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=UTF-8' };

/**
 * An answer of `totalBytes` in events of `eventBytes`, written as fast as the bridge takes
 * them (awaiting `drain`): `progress.written` shows how far it got, `progress.done` whether
 * it wrote everything.
 */
export function endlessAnswer(totalBytes: number, eventBytes: number) {
  const progress = { written: 0, done: false, closedEarly: false };
  const frame = progressEvent('x'.repeat(eventBytes));
  const script: AnswerScript = async (_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.on('close', () => {
      if (!progress.done) progress.closedEarly = true;
    });
    res.write(START_EVENT);
    while (progress.written < totalBytes) {
      if (res.destroyed) return;
      progress.written += frame.length;
      if (!res.write(frame)) await drained(res);
    }
    progress.done = true;
    res.end(finishEvent());
  };
  return { script, progress };
}
