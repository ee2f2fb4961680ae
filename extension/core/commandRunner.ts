// Wraps a command handler so that a failure is logged and shown once, and a cancellation by VS
// Code (see cancellation.ts) is only a debug line. No `vscode` import: commands.ts passes the
// error display in, and mocha drives this directly.
import { isCancellation } from './cancellation';
import type { Logger } from './logger';

export interface CommandFailureSink {
  log: Logger;
  showError(message: string): void;
}

export function guardCommand(
  id: string,
  handler: () => unknown,
  sink: CommandFailureSink,
): () => Promise<void> {
  return async () => {
    try {
      await handler();
    } catch (error) {
      if (isCancellation(error)) {
        sink.log.debug(`${id} was canceled by VS Code (a window closing or a dialog dismissed).`);
        return;
      }
      sink.log.error(`${id} failed: ${String(error)}`);
      sink.showError(`CustomGPT: ${String(error)}`);
    }
  };
}
