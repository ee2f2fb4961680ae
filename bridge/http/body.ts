// Reads a JSON request body with a size limit and strict UTF-8, so bad input gets a precise 4xx.
import type { IncomingMessage } from 'node:http';
import { BridgeError, badRequest } from './openai-error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** After a 413 mid-body, how much more of the body is read and dropped, and for how long. */
const LINGER_BYTES = 16 * 1024 * 1024;
const LINGER_MS = 2_000;

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
  const raw = await collect(req, limit);
  let text: string;
  try {
    text = utf8.decode(raw);
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

/** The whole body, by plain listeners (cheaper than async iteration on the hot path). */
function collect(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done(tooLarge(limit));
        discardRest(req);
      } else chunks.push(chunk);
    };
    const onEnd = () => done(null);
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('the client closed the connection mid-request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Reads and drops what a client still sends after its body was refused, while the 413 goes out.
 * A socket closed with unread data makes the kernel answer the sender with a reset, and a reset
 * makes the client's kernel throw away the 413 it has not read yet: the client would see a
 * broken connection instead of the error (seen under load in the hardening test). So, as nginx's
 * lingering close does, the rest is drained, bounded in bytes and time, then the socket goes.
 */
function discardRest(req: IncomingMessage): void {
  let left = LINGER_BYTES;
  const cut = () => req.socket?.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) cut();
  });
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}
