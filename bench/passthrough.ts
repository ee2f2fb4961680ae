// The "one extra hop" baseline: a minimal byte-forwarding proxy in its own process. No parsing,
// no translation: request bytes stream to the upstream through an undici Pool (the bridge's own
// HTTP client), response bytes stream back as they arrive. What the bridge costs beyond this
// is the cost of being a bridge rather than the cost of a hop.
//   node passthrough.js --upstream http://127.0.0.1:PORT   -> {"event":"ready","port":N}
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
]);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  }
  return out;
}

const at = process.argv.indexOf('--upstream');
const upstream = at === -1 ? undefined : process.argv[at + 1];
if (!upstream) {
  process.stderr.write('usage: passthrough --upstream http://127.0.0.1:PORT\n');
  process.exit(2);
}
// Unlimited connections, like the bridge's pool: a thousand open streams never queue.
const pool = new Pool(upstream, { connections: null, keepAliveTimeout: 30_000 });

const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
  const fail = () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  };
  res.on('close', () => {
    if (!res.writableFinished) req.destroy();
  });
  pool
    .stream(
      {
        method: req.method === 'POST' ? 'POST' : 'GET',
        path: req.url ?? '/',
        headers: forwardable(req.headers),
        body: req.method === 'POST' ? req : null,
      },
      ({ statusCode, headers }) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(headers)) {
          if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        }
        res.writeHead(statusCode, out);
        return res;
      },
    )
    .catch(fail);
});

server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ event: 'ready', port })}\n`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  pool.destroy().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
