// A non-streaming answer, with the answer-breaking faults applied to it too: a reply cut off
// mid-body, a reply that stalls, an unparsable reply, or an error envelope in place of the
// answer. So a client that asks for JSON meets the same failures a streaming one can.
import type { ServerResponse } from 'node:http';
import type { StreamFault } from './faults';
import { sendJson } from './responses';

const JSON_TYPE = 'application/json';

export function sendAnswerJson(
  res: ServerResponse,
  body: unknown,
  fault: StreamFault | undefined,
): void {
  if (fault === undefined) {
    sendJson(res, 200, body);
    return;
  }
  const text = JSON.stringify(body);
  const half = text.slice(0, Math.floor(text.length / 2));
  switch (fault.kind) {
    case 'drop-mid-stream':
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
      res.write(half, () => res.destroy());
      return;
    case 'stall':
      // Half the body, then silence until the client gives up.
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
      res.write(half);
      return;
    case 'malformed-event':
      res.writeHead(200, { 'Content-Type': JSON_TYPE });
      res.end('{not json');
      return;
    case 'error-event':
      sendJson(res, 200, {
        status: 'error',
        data: {
          code: 500,
          message: fault.message ?? 'Something went wrong while generating the answer.',
        },
      });
      return;
  }
}
