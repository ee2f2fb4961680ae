// Backpressure for a response: resolves when it can take more data, or when the client has gone
// (so a writer never waits forever on a closed socket).
import type { ServerResponse } from 'node:http';

export function drained(res: ServerResponse): Promise<void> {
  // Already closed: 'close' has fired and will not fire again.
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
