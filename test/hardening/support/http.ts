// Raw HTTP for hostile-client tests: node:http with every header under the test's control
// (a forged Host, no Host, any Origin, any Content-Type), one fresh connection per request.
import { type IncomingHttpHeaders, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** Sent exactly as given; `host` defaults to 127.0.0.1:PORT unless `host: null`. */
  headers?: Record<string, string | null>;
  body?: string | Buffer;
  /** Abort the whole exchange after this long (a hang fails the test instead of stalling it). */
  timeoutMs?: number;
}

export function httpRequest(port: number, r: RawRequest): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  let setHost = true;
  for (const [k, v] of Object.entries(r.headers ?? {})) {
    if (v === null) {
      if (k.toLowerCase() === 'host') setHost = false;
      continue;
    }
    headers[k] = v;
  }
  if (setHost && !Object.keys(headers).some((k) => k.toLowerCase() === 'host')) {
    headers.host = `127.0.0.1:${port}`;
  }
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: r.method ?? 'GET',
        path: r.path,
        headers,
        setHost: false,
        agent: false,
        timeout: r.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no complete answer to ${r.path} in time`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Authorization header value for a token. */
export const bearer = (token: string) => `Bearer ${token}`;

/** Headers of a well-behaved JSON POST with the bridge's token. */
export function jsonHeaders(token: string, extra: Record<string, string | null> = {}) {
  return { 'content-type': 'application/json', authorization: bearer(token), ...extra };
}

export function postChat(
  port: number,
  token: string,
  body: unknown,
  extra: Record<string, string | null> = {},
): Promise<RawResponse> {
  return httpRequest(port, {
    method: 'POST',
    path: '/v1/chat/completions',
    headers: jsonHeaders(token, extra),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const USER_PROMPT = 'How do I install Acme Rocket?';
export const chatBody = (stream: boolean, content = USER_PROMPT) => ({
  model: 'x',
  stream,
  messages: [{ role: 'user', content }],
});
