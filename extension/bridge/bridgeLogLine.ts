// The bridge writes one JSON record per stderr line ({"level":"info","msg":"...", ...fields}).
// This maps a record onto the output channel's levels and a readable one-line message.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface BridgeLogRecord {
  level: LogLevel;
  text: string;
}

/** pino-style numeric levels, in case the bridge logs numbers instead of names. */
function levelFromNumber(level: number): LogLevel {
  if (level >= 50) return 'error';
  if (level >= 40) return 'warn';
  if (level >= 30) return 'info';
  if (level >= 20) return 'debug';
  return 'trace';
}

function levelFromName(level: string): LogLevel {
  switch (level.toLowerCase()) {
    case 'fatal':
    case 'error':
      return 'error';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'debug':
      return 'debug';
    case 'trace':
      return 'trace';
    default:
      return 'info';
  }
}

/** Fields the channel already shows (its own timestamp and level) or that are noise. */
const HIDDEN_FIELDS = new Set(['level', 'msg', 'message', 'time', 'ts', 'timestamp', 'hostname']);

export function parseBridgeLogLine(line: string): BridgeLogRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { level: 'info', text: line };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { level: 'info', text: line };
  }
  const record = parsed as Record<string, unknown>;
  const level =
    typeof record.level === 'number'
      ? levelFromNumber(record.level)
      : typeof record.level === 'string'
        ? levelFromName(record.level)
        : 'info';
  const message =
    typeof record.msg === 'string'
      ? record.msg
      : typeof record.message === 'string'
        ? record.message
        : '';
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!HIDDEN_FIELDS.has(key)) rest[key] = value;
  }
  const extra = Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
  return { level, text: [message, extra].filter(Boolean).join(' ') || line };
}
