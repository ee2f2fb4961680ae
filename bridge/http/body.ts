// Reads a JSON request body with a size limit and strict UTF-8, so bad input gets a precise 4xx.
import type { IncomingMessage } from 'node:http';
import { BridgeError, badRequest } from './openai-error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  // A browser form can post text/plain cross-site without a preflight; JSON it must be.
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new BridgeError(
      415,
      "Content-Type must be 'application/json'.",
      'invalid_request_error',
      'unsupported_media_type',
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  } catch {
    throw badRequest('The request body is not valid UTF-8.', null, 'invalid_encoding');
  }
  if (text.trim() === '')
    throw badRequest('The request body is empty: send a JSON object.', null, 'invalid_body');
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'parse error';
    throw badRequest(
      `The request body is not valid JSON (${why.slice(0, 120)}).`,
      null,
      'invalid_json',
    );
  }
}

function tooLarge(limit: number): BridgeError {
  return new BridgeError(
    413,
    `The request body is larger than ${Math.round(limit / 1024)} KiB.`,
    'invalid_request_error',
    'request_too_large',
  );
}
