// The simulator's HTTP/2 mode (--http2) serves through node:http2's compatibility API, whose
// request and response stand in for node:http's: the handlers are written against node:http's
// types and use only what both have. Where the two differ (the socket is shared by every stream
// of a connection; a response has no `destroyed`), these helpers reach the HTTP/2 stream.
// Types only here: node:http2 itself is loaded by server.ts when asked for.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerHttp2Stream } from 'node:http2';

/** RST_STREAM code INTERNAL_ERROR: the stream is cut, the connection's other streams live on. */
const NGHTTP2_INTERNAL_ERROR = 2;

/** The HTTP/2 stream under a compat request or response; undefined over HTTP/1.1. */
export function h2Stream(x: IncomingMessage | ServerResponse): ServerHttp2Stream | undefined {
  return (x as { stream?: ServerHttp2Stream }).stream;
}

/** Whether the response can no longer be written (the client went away). */
export function responseGone(res: ServerResponse): boolean {
  return res.destroyed || h2Stream(res)?.destroyed === true;
}

/**
 * Cuts one exchange at the transport: over HTTP/1.1 the socket is reset (RST) or, once the
 * body started, ended without the chunked terminator (FIN); over HTTP/2 the stream is reset
 * (RST_STREAM), as a proxy in front of an HTTP/2 upstream would.
 */
export function cutExchange(x: IncomingMessage | ServerResponse, how: 'reset' | 'fin'): void {
  const stream = h2Stream(x);
  if (stream) {
    stream.close(NGHTTP2_INTERNAL_ERROR);
    return;
  }
  if (how === 'reset') (x as IncomingMessage).socket.resetAndDestroy();
  else (x as ServerResponse).socket?.destroySoon();
}
