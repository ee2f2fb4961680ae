// The live activity channel: a token-protected WebSocket (`ws`) that tells subscribers (the
// VS Code status bar) which requests start and end, and, while streams are open, how many and
// how fast text flows. Counting costs the hot path one integer addition per delta; nothing is
// serialized unless someone listens.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { ActivityEvent } from './protocol';

type Hello = Extract<ActivityEvent, { type: 'hello' }>;

/** What an error names beyond its message: the OpenAI `param` and `code`. */
export interface EndDetail {
  param?: string | null | undefined;
  code?: string | null | undefined;
}

const PROGRESS_EVERY_MS = 250;

export class ActivityHub {
  /**
   * Made on the first subscriber: `ws` (with the tls and https modules it loads) costs about
   * 8 MB of resident memory, which a bridge nobody watches does not pay.
   */
  private wss: WebSocketServer | undefined;
  private seq = 0;
  private streams = 0;
  private charsThisTick = 0;
  private cps = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly hello: () => Promise<Omit<Hello, 'type' | 'active'>>) {}

  get activeStreams(): number {
    return this.streams;
  }

  get subscribers(): number {
    return this.wss?.clients.size ?? 0;
  }

  /** Completes a WebSocket upgrade the server has already authorized. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.wss) {
      const { WebSocketServer } = require('ws') as typeof import('ws');
      this.wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      // Subscribers only listen; anything they send is ignored.
      void this.hello().then(
        (h) => send(ws, { type: 'hello', ...h, active: this.streams }),
        () => undefined,
      );
    });
  }

  start(client: string, stream: boolean): string {
    const id = `r${++this.seq}`;
    if (stream) {
      this.streams++;
      this.ensureTimer();
    }
    this.broadcast({ type: 'start', id, client, stream, at: Date.now() });
    return id;
  }

  /** Text that just went out to a client. */
  chars(n: number): void {
    this.charsThisTick += n;
  }

  end(
    id: string,
    client: string,
    stream: boolean,
    status: number,
    ms: number,
    chars: number,
    error?: string,
    detail: EndDetail = {},
  ): void {
    if (stream) this.streams = Math.max(0, this.streams - 1);
    const event: ActivityEvent = {
      type: 'end',
      id,
      client,
      status,
      ms,
      chars,
      active: this.streams,
    };
    if (error) event.error = error;
    if (detail.param) event.param = detail.param;
    if (detail.code) event.code = detail.code;
    this.broadcast(event);
  }

  /**
   * A request refused before it started (validation, 501): recorded as an `end` without a
   * `start`, so the editor sees every answered request, not only the accepted ones.
   */
  rejected(client: string, status: number, ms: number, error: string, detail: EndDetail): void {
    this.broadcast({
      type: 'end',
      id: `r${++this.seq}`,
      client,
      status,
      ms,
      chars: 0,
      error,
      ...(detail.param ? { param: detail.param } : {}),
      ...(detail.code ? { code: detail.code } : {}),
      active: this.streams,
    });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // terminate(), not close(): a subscriber that never answers the close frame would hold
    // shutdown for ws's 30 s close timeout.
    if (!this.wss) return;
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), PROGRESS_EVERY_MS);
    this.timer.unref();
  }

  private tick(): void {
    // Exponential smoothing keeps the figure readable in a status bar.
    const instant = (this.charsThisTick * 1000) / PROGRESS_EVERY_MS;
    this.charsThisTick = 0;
    this.cps = Math.round(this.cps === 0 ? instant : this.cps * 0.5 + instant * 0.5);
    if (this.streams === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.cps = 0;
    }
    this.broadcast({ type: 'progress', active: this.streams, cps: this.cps });
  }

  private broadcast(event: ActivityEvent): void {
    if (!this.wss || this.wss.clients.size === 0) return;
    const text = JSON.stringify(event);
    for (const ws of this.wss.clients) send(ws, text);
  }
}

function send(ws: WebSocket, event: ActivityEvent | string): void {
  if (ws.readyState !== ws.OPEN) return;
  // A subscriber that stops reading is dropped rather than buffered without bound.
  if (ws.bufferedAmount > 1 << 20) {
    ws.terminate();
    return;
  }
  ws.send(typeof event === 'string' ? event : JSON.stringify(event));
}
