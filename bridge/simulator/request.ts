// Reading a request: its query, its body (JSON or form-encoded, as the API accepts both) and
// whether it carries the simulator's key.
import type { IncomingMessage } from 'node:http';

/** Bodies beyond this are cut off: nothing the simulator serves needs more. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function splitUrl(rawUrl: string): { path: string; search: string } {
  const q = rawUrl.indexOf('?');
  return q < 0
    ? { path: rawUrl, search: '' }
    : { path: rawUrl.slice(0, q), search: rawUrl.slice(q + 1) };
}

const NO_QUERY: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function parseQuery(search: string): Record<string, string> {
  if (search === '') return NO_QUERY;
  return Object.fromEntries(new URLSearchParams(search));
}

/** The body as text; '' at once when the request announces none. */
export function readBody(req: IncomingMessage): Promise<string> {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) {
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new Error('request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON or form fields by content type; text that does not parse stays text; '' is undefined. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  if (type.includes('json') || type === '' || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** `Authorization: Bearer <key>`, the scheme case-insensitive as RFC 7235 has it. */
export function hasBearer(header: string | undefined, key: string): boolean {
  if (header === undefined || header.length !== key.length + 7) return false;
  return header.slice(0, 7).toLowerCase() === 'bearer ' && header.slice(7) === key;
}
