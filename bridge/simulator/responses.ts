// CustomGPT.ai's response envelopes and the few ways the simulator writes a whole response.
//   success: {"status":"success","data":...}
//   error:   {"status":"error","url":"<request url>","data":{"code":404,"message":"..."}}
import type { ServerResponse } from 'node:http';

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
}

export interface ErrorEnvelope {
  status: 'error';
  url: string;
  data: { code: number; message: string };
}

export function success<T>(data: T): SuccessEnvelope<T> {
  return { status: 'success', data };
}

export function failure(url: string, code: number, message: string): ErrorEnvelope {
  return { status: 'error', url, data: { code, message } };
}

/** The messages the API (or its documentation) uses for these statuses. */
export const MESSAGES = {
  unauthorized: 'API Token is either missing or invalid',
  exhausted:
    'You have exhausted your current query credits. Please contact customer service (https://customgpt.freshdesk.com/support/home) for further assistance.',
  internal: 'Internal Server Error',
  projectIdNotInteger: 'Agent id must be integer',
  projectNotFound: (id: string) => `Agent with id ${id} not found`,
  pageNotFound: (id: string) => `Page with id ${id} not found`,
  conversationNotFound: (sessionId: string) => `Conversation with id ${sessionId} not found`,
  messageNotFound: (id: string) => `Conversation message with id ${id} not found`,
  notYetSupported: (param: string) =>
    `${param} is not yet supported. Please remove them from your request and try again.`,
} as const;

/** A generic message for a status injected by a fault without a body. */
export function defaultMessage(status: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 401:
      return MESSAGES.unauthorized;
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 429:
      return MESSAGES.exhausted;
    case 501:
      return 'Not Implemented';
    case 503:
      return 'Service Unavailable';
    default:
      return status >= 500 ? MESSAGES.internal : 'Error';
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, url: string, status: number, message: string): void {
  sendJson(res, status, failure(url, status, message));
}

/** The page nginx serves when its upstream fails: what a client meets behind a broken proxy. */
export const NGINX_502_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export function sendHtml502(res: ServerResponse): void {
  res.writeHead(502, {
    'Content-Type': 'text/html',
    'Content-Length': Buffer.byteLength(NGINX_502_PAGE),
    Server: 'nginx',
  });
  res.end(NGINX_502_PAGE);
}
