// The distant-upstream section's client: one streamed question at a time, timed where a user
// feels it (request sent -> first text; last answer text -> end of stream). Sequential and
// light, so it runs in the orchestrator; it reads both the OpenAI chunks of the bridge and
// CustomGPT.ai's native events (`progress` text, `finish` end) of the direct calls.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { readyJson, type Started } from './processes';

export interface Timed {
  ttftMs: number;
  /** Last answer-text chunk -> `[DONE]` (bridge) or the `finish` event (native upstream). */
  tailMs: number;
  /** Everything the client received as content (the bridge may append a Sources list). */
  content: string;
  /** The answer text without what came after it (the Sources list). */
  text: string;
  sessionId: string | undefined;
}

export interface Endpoint {
  pool: Pool;
  path: string;
  headers: Record<string, string>;
}

export function endpoint(
  origin: string,
  path: string,
  headers: Record<string, string>,
  ca?: string,
  connections = 4,
): Endpoint {
  const pool = new Pool(origin, {
    connections,
    keepAliveTimeout: 60_000,
    ...(ca ? { connect: { ca } } : {}),
  });
  return { pool, path, headers: { ...headers, 'content-type': 'application/json' } };
}

/** A started bridge's chat completions endpoint, with its token. */
export function bridgeEndpoint(p: Started, connections?: number): Endpoint {
  const ready = readyJson(p.readyLine)!;
  return endpoint(
    `http://127.0.0.1:${Number(ready.port)}`,
    '/v1/chat/completions',
    { authorization: `Bearer ${String(ready.token)}` },
    undefined,
    connections,
  );
}

/** Sends one streaming request; `answerLength` marks where the answer text ends. */
export async function ask(e: Endpoint, body: unknown, answerLength?: number): Promise<Timed> {
  const sent = performance.now();
  const res = await e.pool.request({
    method: 'POST',
    path: e.path,
    headers: e.headers,
    body: JSON.stringify(body),
  });
  if (res.statusCode !== 200) {
    throw new Error(`${e.path}: HTTP ${res.statusCode} ${(await res.body.text()).slice(0, 200)}`);
  }
  const session = res.headers['x-customgpt-session-id'];
  let buffer = '';
  let content = '';
  let firstAt: number | undefined;
  let lastTextAt: number | undefined;
  let endAt: number | undefined;
  res.body.setEncoding('utf8');
  for await (const piece of res.body as AsyncIterable<string>) {
    const at = performance.now();
    buffer += piece;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const data = dataOf(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (data === undefined) continue;
      const ev = classify(data);
      if (ev.text) {
        firstAt ??= at;
        // The answer ends where the upstream's text ends; what follows is the Sources list.
        if (answerLength === undefined || content.length < answerLength) lastTextAt = at;
        content += ev.text;
      }
      if (ev.end) endAt ??= at;
    }
  }
  if (firstAt === undefined || lastTextAt === undefined || endAt === undefined) {
    throw new Error(`${e.path}: stream without text or end (${content.slice(0, 80)})`);
  }
  return {
    ttftMs: firstAt - sent,
    tailMs: endAt - lastTextAt,
    content,
    text: answerLength === undefined ? content : content.slice(0, answerLength),
    sessionId: typeof session === 'string' ? session : undefined,
  };
}

function dataOf(raw: string): string | undefined {
  for (const line of raw.split('\n')) if (line.startsWith('data: ')) return line.slice(6);
  return undefined;
}

function classify(data: string): { text: string; end: boolean } {
  if (data === '[DONE]') return { text: '', end: true };
  const v = JSON.parse(data) as {
    status?: string;
    message?: unknown;
    error?: unknown;
    choices?: { delta?: { content?: unknown } }[];
  };
  if (v.error !== undefined || v.status === 'error') throw new Error(`error event: ${data}`);
  if (v.status === 'progress')
    return { text: typeof v.message === 'string' ? v.message : '', end: false };
  if (v.status === 'finish') return { text: '', end: true };
  const c = v.choices?.[0]?.delta?.content;
  return { text: typeof c === 'string' ? c : '', end: false };
}
