// Command-line flags of dist/simulator.js, parsed without side effects so they can be tested.
//   --port N  --host H  --key K (or env SIM_API_KEY)  --projects N  --per-page N
//   --chunk-size N  --chunk-delay MS  --first-byte-delay MS  --connect-delay MS
//   --tls-cert FILE --tls-key FILE  --http2  --event-names  --crlf  --help
import type { SimulatorOptions } from './types';

export type CliArgs = { options: SimulatorOptions } | { help: true } | { error: string };

export const USAGE = `Usage: node dist/simulator.js [options]
  --port N              listen port (default 0: ephemeral)
  --host H              listen address (default 127.0.0.1)
  --key K               API key clients must send (default sim-key; env SIM_API_KEY)
  --projects N          number of projects, ids 1001.. (default 3)
  --per-page N          GET /projects page size (default 10)
  --chunk-size N        characters per streamed event (default 8)
  --chunk-delay MS      delay between streamed events (default 5)
  --first-byte-delay MS delay before any /api/v1 response (default 0)
  --connect-delay MS    delay before a new connection is served (default 0)
  --tls-cert FILE       serve HTTPS with this PEM certificate (with --tls-key)
  --tls-key FILE        the certificate's PEM private key
  --http2               with --tls-cert: serve HTTP/2 too (ALPN h2, HTTP/1.1 for the rest)
  --event-names         add "event:" lines to native streams
  --crlf                end SSE lines with \\r\\n
Prints one JSON line {"event":"ready","url":...,"port":...} on stdout once listening.`;

const NUMERIC = {
  '--port': 'port',
  '--projects': 'projectCount',
  '--per-page': 'perPage',
  '--chunk-size': 'chunkSize',
  '--chunk-delay': 'chunkDelayMs',
  '--first-byte-delay': 'firstByteDelayMs',
  '--connect-delay': 'connectDelayMs',
} as const satisfies Record<string, keyof SimulatorOptions>;

function isNumericFlag(flag: string): flag is keyof typeof NUMERIC {
  return Object.hasOwn(NUMERIC, flag);
}

/** Reads the PEM files named by --tls-cert / --tls-key (injected, so parsing stays pure). */
export type ReadText = (path: string) => string;

export function parseCliArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  readText?: ReadText,
): CliArgs {
  const options: SimulatorOptions = {};
  let certFile: string | undefined;
  let keyFile: string | undefined;
  if (env.SIM_API_KEY) options.apiKey = env.SIM_API_KEY;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];

    if (flag === '--help' || flag === '-h') return { help: true };
    if (flag === '--event-names') options.eventNames = true;
    else if (flag === '--crlf') options.crlf = true;
    else if (flag === '--http2') options.http2 = true;
    else if (
      flag === '--host' ||
      flag === '--key' ||
      flag === '--tls-cert' ||
      flag === '--tls-key'
    ) {
      const v = value();
      if (!v) return { error: `${flag} needs a value` };
      if (flag === '--host') options.host = v;
      else if (flag === '--key') options.apiKey = v;
      else if (flag === '--tls-cert') certFile = v;
      else keyFile = v;
    } else if (isNumericFlag(flag)) {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v))
        return { error: `${flag} needs a non-negative integer` };
      options[NUMERIC[flag]] = Number(v);
    } else {
      return { error: `unknown argument: ${arg}` };
    }
  }
  if ((certFile === undefined) !== (keyFile === undefined))
    return { error: '--tls-cert and --tls-key go together' };
  if (options.http2 && certFile === undefined) return { error: '--http2 needs --tls-cert' };
  if (certFile !== undefined && keyFile !== undefined) {
    if (!readText) return { error: '--tls-cert needs a file reader' };
    try {
      options.tls = { cert: readText(certFile), key: readText(keyFile) };
    } catch (err) {
      return { error: `cannot read the TLS files: ${err instanceof Error ? err.message : err}` };
    }
  }
  return { options };
}
