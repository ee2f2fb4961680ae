// Socket-level clients: bytes the bridge must cope with that no HTTP library would send
// (oversized headers, slow drips), and a reader that can stop reading.
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  /** Everything the bridge sent before it closed the connection. */
  text: string;
  /** Status code of the first response, or 0 when none arrived. */
  status: number;
  /** Date.now() when the bridge closed the connection. */
  closedAt: number;
}

export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Collects what the peer sends until it closes; fails after `capMs`. */
export function collect(socket: Socket, capMs: number): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the bridge kept the connection open past ${capMs} ms`));
    }, capMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // a reset after the answer still counts as closed
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ text, status: statusOf(text), closedAt: Date.now() });
    });
  });
}

export function statusOf(text: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The body of a raw HTTP/1.1 response with a content-length (the bridge's error answers). */
export function bodyOf(text: string): string {
  const at = text.indexOf('\r\n\r\n');
  return at < 0 ? '' : text.slice(at + 4);
}

/** Sends `bytes` all at once and collects the answer. */
export async function exchange(port: number, bytes: string | Buffer, capMs = 10_000) {
  const socket = await openSocket(port);
  const answer = collect(socket, capMs);
  socket.write(bytes);
  return answer;
}

export { setTimeout as sleep } from 'node:timers/promises';
