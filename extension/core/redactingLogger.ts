// Every line that reaches the output channel passes through here: the extension's own messages
// and the bridge's stderr records. Known secrets (key, token) and bearer credentials are masked.

import { redact } from '../../shared/redact';
import { parseBridgeLogLine } from '../bridge/bridgeLogLine';
import type { Logger } from './logger';

export class RedactingLogger implements Logger {
  constructor(
    private readonly sink: Logger,
    /** Read at each write: the key may be set or changed while the extension runs. */
    private readonly secrets: () => readonly (string | undefined)[],
  ) {}

  private clean(message: string): string {
    return redact(message, this.secrets());
  }

  trace(message: string): void {
    this.sink.trace(this.clean(message));
  }
  debug(message: string): void {
    this.sink.debug(this.clean(message));
  }
  info(message: string): void {
    this.sink.info(this.clean(message));
  }
  warn(message: string): void {
    this.sink.warn(this.clean(message));
  }
  error(message: string): void {
    this.sink.error(this.clean(message));
  }

  /** One stderr line of the bridge, leveled by its JSON record. */
  bridgeLine(line: string): void {
    const record = parseBridgeLogLine(line);
    this.sink[record.level](`[bridge] ${this.clean(record.text)}`);
  }
}
