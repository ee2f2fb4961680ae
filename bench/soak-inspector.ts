// The bridge's live heap, read from outside: the soak starts the CLI with
// `--inspect=127.0.0.1:0` and, over the inspector protocol, forces a full GC and asks for the
// heap in use. Unlike RSS (a high-water mark), that number falls back when nothing leaks.
import WebSocket from 'ws';

export interface Inspector {
  /** MiB of JavaScript heap in use right after a forced full GC. */
  liveHeapMiB(): Promise<number>;
  close(): void;
}

/** The inspector URL node prints on stderr ("Debugger listening on ws://..."). */
export function inspectorUrl(stderr: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
}

export async function attachInspector(url: string): Promise<Inspector> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data: WebSocket.RawData) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
    if (msg.id !== undefined) pending.delete(msg.id);
  });
  const call = (method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 30_000);
      pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      ws.send(JSON.stringify({ id, method }));
    });
  return {
    async liveHeapMiB() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number };
      return Math.round((usage.usedSize / 2 ** 20) * 10) / 10;
    },
    close: () => ws.close(),
  };
}
