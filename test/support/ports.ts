// Loopback ports for tests and benchmarks, chosen by the OS.
import { createServer } from 'node:net';

/** A port free right now on 127.0.0.1 (bound, then released; a tiny race is acceptable). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A port nothing listens on: the same thing, named for tests of "connection refused". */
export const closedPort = freePort;
