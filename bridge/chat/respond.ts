// Low-level response writing shared by the handlers: JSON bodies, OpenAI errors, and the SSE
// output with backpressure (a slow reader pauses the upstream instead of growing a buffer).
import type { ServerResponse } from 'node:http';
import type { BridgeError } from '../http/openai-error';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  err: BridgeError,
  redact: (s: string) => string,
): void {
  const body = err.body();
  body.error.message = redact(body.error.message);
  sendJson(res, err.status, body, err.headers);
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Tells reverse proxies (nginx) not to buffer the stream.
  'x-accel-buffering': 'no',
};
