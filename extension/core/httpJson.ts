// Small GETs against the bridge's loopback endpoints with a hard timeout. node:http rather than
// fetch so a refused connection is told apart (ECONNREFUSED = nothing listens on the port).
import { request } from 'node:http';

export type HttpJsonResult =
  | { kind: 'response'; status: number; body: unknown }
  | { kind: 'refused' }
  | { kind: 'failed'; reason: string };

export function getJson(
  url: string,
  options: { token?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<HttpJsonResult> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const req = request(url, {
      method: 'GET',
      headers,
      timeout: options.timeoutMs ?? 2000,
      signal: options.signal,
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve({ kind: 'refused' });
      else resolve({ kind: 'failed', reason: error.message });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => resolve({ kind: 'failed', reason: error.message }));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // Keep the raw text: a non-JSON answer means "not our bridge".
        }
        resolve({ kind: 'response', status: res.statusCode ?? 0, body });
      });
    });
    req.end();
  });
}
