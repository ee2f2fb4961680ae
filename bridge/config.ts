// The bridge's one typed configuration: defaults, CLI flags and environment, validated.
// Secrets come only from the environment: argv is visible to every local user.
import { parseArgs } from 'node:util';
import type { UnsupportedPolicy } from './chat/request';
import { DEFAULT_PORT, type UpstreamMode } from './protocol';

export type CitationStyle = 'append' | 'field';
export type LoopbackHost = '127.0.0.1' | '::1';

export interface BridgeOptions {
  port?: number;
  host?: string;
  project?: string;
  upstream?: string;
  upstreamMode?: UpstreamMode;
  apiKey?: string;
  token?: string;
  onUnsupported?: UnsupportedPolicy;
  citations?: CitationStyle;
  demo?: boolean;
  /** Origins (scheme://host[:port]) a browser page may call from; none by default. */
  allowedOrigins?: string[];
  /** Chat requests served at once; past it, 429 with retry-after. */
  maxConcurrent?: number;
  /** Keep-alive comment interval while the upstream is silent. */
  pingIntervalMs?: number;
  /**
   * Longest wait for CustomGPT.ai (--upstream-timeout): to start answering, and between two
   * pieces of a streamed answer unless streamIdleTimeoutMs says otherwise.
   */
  upstreamTimeoutMs?: number;
  /** Longest silence inside an upstream stream before it is called stalled (default: as above). */
  streamIdleTimeoutMs?: number;
  /** Time a client has to send its whole request (slow-drip bodies get 408). */
  requestTimeoutMs?: number;
  bodyLimitBytes?: number;
  /** Bounded wait for open streams on shutdown. */
  shutdownGraceMs?: number;
  sessionMax?: number;
  sessionTtlMs?: number;
  /** Native mode: one conversation made ahead of need per project in use (README). */
  spareConversations?: boolean;
  /**
   * Offer HTTP/2 to CustomGPT.ai in the TLS handshake (ALPN); the upstream chooses, HTTP/1.1
   * otherwise. Default true, undici's own default; --no-upstream-http2 keeps to HTTP/1.1.
   */
  upstreamHttp2?: boolean;
  log?: 'silent' | 'debug' | 'info' | 'warn' | 'error';
}

export interface BridgeConfig
  extends Required<Omit<BridgeOptions, 'apiKey' | 'token' | 'project' | 'host'>> {
  host: LoopbackHost;
  apiKey: string | undefined;
  token: string | undefined;
  project: string | undefined;
}

export const DEFAULT_UPSTREAM = 'https://app.customgpt.ai';

export const DEFAULTS = {
  port: DEFAULT_PORT,
  host: '127.0.0.1' as LoopbackHost,
  upstream: DEFAULT_UPSTREAM,
  upstreamMode: 'native' as UpstreamMode,
  onUnsupported: 'error' as UnsupportedPolicy,
  citations: 'append' as CitationStyle,
  demo: false,
  allowedOrigins: [] as string[],
  maxConcurrent: 1024,
  pingIntervalMs: 15_000,
  upstreamTimeoutMs: 60_000,
  requestTimeoutMs: 30_000,
  bodyLimitBytes: 4 * 1024 * 1024,
  shutdownGraceMs: 10_000,
  sessionMax: 2000,
  sessionTtlMs: 6 * 60 * 60 * 1000,
  spareConversations: true,
  upstreamHttp2: true,
  log: 'info' as const,
};

export class ConfigError extends Error {}

const POSITIVE_INTS = new Set([
  'maxConcurrent',
  'pingIntervalMs',
  'upstreamTimeoutMs',
  'streamIdleTimeoutMs',
  'requestTimeoutMs',
  'bodyLimitBytes',
  'shutdownGraceMs',
  'sessionMax',
  'sessionTtlMs',
]);

export function resolveConfig(opts: BridgeOptions): BridgeConfig {
  const host = opts.host ?? DEFAULTS.host;
  if (host !== '127.0.0.1' && host !== '::1') {
    throw new ConfigError(
      `Refusing to listen on ${host}: the bridge holds your CustomGPT.ai key and only binds ` +
        'loopback (127.0.0.1 or ::1).',
    );
  }
  const port = opts.port ?? DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`Invalid port ${String(port)}: use 0-65535 (0 picks a free port).`);
  }
  const project = opts.project?.trim() || undefined;
  if (project !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(project)) {
    throw new ConfigError(
      `Invalid project id "${project.slice(0, 64)}": use the numeric id from CustomGPT.ai.`,
    );
  }
  const upstream = opts.upstream ?? DEFAULTS.upstream;
  try {
    const u = new URL(upstream);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ConfigError(`Invalid --upstream URL "${upstream}".`);
  }
  for (const [name, value] of Object.entries(opts)) {
    if (POSITIVE_INTS.has(name) && value !== undefined && !(Number.isInteger(value) && value > 0)) {
      const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new ConfigError(`${flag} must be a positive whole number (got ${String(value)}).`);
    }
  }
  const token = opts.token?.trim() || undefined;
  if (token !== undefined && token.length < 16) {
    throw new ConfigError('CUSTOMGPT_BRIDGE_TOKEN must be at least 16 characters long.');
  }
  const upstreamTimeoutMs = opts.upstreamTimeoutMs ?? DEFAULTS.upstreamTimeoutMs;
  return {
    ...DEFAULTS,
    ...definedOnly(opts),
    upstreamTimeoutMs,
    streamIdleTimeoutMs: opts.streamIdleTimeoutMs ?? upstreamTimeoutMs,
    host,
    port,
    project,
    upstream,
    token,
    apiKey: opts.apiKey?.trim() || undefined,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** An hour: past it a stalled upstream is not worth waiting for. */
export const MAX_UPSTREAM_TIMEOUT_S = 3600;

export const USAGE = `Usage: node dist/bridge.js [options]

Options:
  --port N                 port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host 127.0.0.1|::1     loopback address to bind (default 127.0.0.1)
  --project ID             CustomGPT.ai project (agent) id (or env CUSTOMGPT_PROJECT_ID)
  --upstream URL           CustomGPT.ai API base (default ${DEFAULT_UPSTREAM})
  --upstream-mode MODE     native (conversations API, citations, sessions) or compat
  --on-unsupported MODE    error (501, the seed's rule) or ignore (drop tools etc.)
  --citations STYLE        append (Sources list in the answer + field) or field (field only)
  --allow-origin ORIGIN    let browser pages from ORIGIN call the bridge (repeatable)
  --max-concurrent N       chat requests served at once before 429 (default ${DEFAULTS.maxConcurrent})
  --upstream-timeout SECONDS
                           longest wait for CustomGPT.ai to start an answer, or to send the next
                           piece of a streamed one (default ${DEFAULTS.upstreamTimeoutMs / 1000}; 1-${MAX_UPSTREAM_TIMEOUT_S})
  --no-spare-conversations make each new chat's conversation on demand (one more round trip)
  --no-upstream-http2      speak HTTP/1.1 to CustomGPT.ai even if it offers HTTP/2
  --no-rehearsal           skip the start-up rehearsal (one simulated question, on loopback,
                           that makes the first real question as fast as the next)
  --demo                   run against the built-in simulator: simulated answers, no key
  --stdin-lifeline         exit when stdin closes (used by the VS Code extension)
  --mcp-stdio              serve MCP on stdin/stdout instead of HTTP (for agents that spawn it)
  --log LEVEL              debug, info, warn, error or silent (default info)
  -h, --help               show this help

Environment:
  CUSTOMGPT_API_KEY        your CustomGPT.ai API key (never pass it as a flag)
  CUSTOMGPT_PROJECT_ID     project id, if --project is not given
  CUSTOMGPT_BRIDGE_TOKEN   local bearer token clients must send (random when unset)
`;

export interface CliRequest {
  options: BridgeOptions;
  stdinLifeline: boolean;
  /** Serve MCP on stdio (bridge/mcp/stdio.ts) instead of the HTTP bridge. */
  mcpStdio: boolean;
  /** Run the start-up rehearsal (rehearsal.ts); --no-rehearsal turns it off. */
  rehearse: boolean;
  help: boolean;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliRequest {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      project: { type: 'string' },
      upstream: { type: 'string' },
      'upstream-mode': { type: 'string' },
      'on-unsupported': { type: 'string' },
      citations: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'max-concurrent': { type: 'string' },
      'upstream-timeout': { type: 'string' },
      'no-spare-conversations': { type: 'boolean' },
      'no-upstream-http2': { type: 'boolean' },
      'no-rehearsal': { type: 'boolean' },
      demo: { type: 'boolean' },
      'stdin-lifeline': { type: 'boolean' },
      'mcp-stdio': { type: 'boolean' },
      log: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const oneOf = <T extends string>(name: string, v: string | undefined, allowed: readonly T[]) => {
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw new ConfigError(`--${name} must be one of ${allowed.join(', ')} (got "${v}").`);
    }
    return v as T;
  };
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new ConfigError(`--${name} must be a whole number (got "${v}").`);
    return Number(v);
  };
  const seconds = (name: string, v: string | undefined, max: number) => {
    const n = int(name, v);
    if (n !== undefined && (n < 1 || n > max)) {
      throw new ConfigError(`--${name} must be between 1 and ${max} seconds (got "${v}").`);
    }
    return n === undefined ? undefined : n * 1000;
  };
  return {
    help: values.help === true,
    stdinLifeline: values['stdin-lifeline'] === true,
    mcpStdio: values['mcp-stdio'] === true,
    rehearse: values['no-rehearsal'] !== true,
    options: {
      port: int('port', values.port),
      host: values.host,
      project: values.project ?? env.CUSTOMGPT_PROJECT_ID,
      upstream: values.upstream,
      upstreamMode: oneOf('upstream-mode', values['upstream-mode'], ['native', 'compat'] as const),
      onUnsupported: oneOf('on-unsupported', values['on-unsupported'], [
        'error',
        'ignore',
      ] as const),
      citations: oneOf('citations', values.citations, ['append', 'field'] as const),
      allowedOrigins: values['allow-origin'],
      maxConcurrent: int('max-concurrent', values['max-concurrent']),
      upstreamTimeoutMs: seconds(
        'upstream-timeout',
        values['upstream-timeout'],
        MAX_UPSTREAM_TIMEOUT_S,
      ),
      ...(values['no-spare-conversations'] ? { spareConversations: false } : {}),
      ...(values['no-upstream-http2'] ? { upstreamHttp2: false } : {}),
      demo: values.demo === true,
      log: oneOf('log', values.log, ['silent', 'debug', 'info', 'warn', 'error'] as const),
      apiKey: env.CUSTOMGPT_API_KEY,
      token: env.CUSTOMGPT_BRIDGE_TOKEN,
    },
  };
}
