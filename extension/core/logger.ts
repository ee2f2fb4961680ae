// The logging surface the non-vscode modules write to. A LogOutputChannel satisfies it; tests
// pass a recorder. Callers hand over finished strings; redaction happens in the sink.

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
