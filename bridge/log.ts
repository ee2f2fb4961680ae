// Structured logging to stderr, one JSON object per line. stdout is reserved for the ready line.
// Every line passes through a redactor that knows the secrets of this process (the CustomGPT.ai
// key and the local token), so a secret that sneaks into a message or an upstream error body is
// never written out.
import { makeRedactor } from '../shared/redact';

/** The shared redactor (shared/redact.ts), re-exported for the bridge's callers. */
export { makeRedactor };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(opts: {
  level?: LogLevel;
  secrets?: readonly (string | undefined)[];
  write?: (line: string) => void;
}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const redact = makeRedactor(opts.secrets ?? []);
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    // time, level and msg come first and cannot be overwritten by a field of the same name.
    const head = { time: new Date().toISOString(), level, msg };
    const record = fields ? Object.assign({ ...head }, fields, head) : head;
    write(redact(JSON.stringify(record, errorReplacer)) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
