// Notifications that close themselves once the person has moved on. VS Code has no API to close
// a toast with buttons, but a progress notification ends when its task resolves: the message
// carries its actions as command links, and `until` says when it is no longer true. One notice
// per id at a time, so a state that comes back does not stack a second copy.
import * as vscode from 'vscode';

const open = new Set<string>();

/**
 * Shows `message` (Markdown command links allowed) until `until` calls `close`, or the person
 * dismisses it. `until` returns the subscription that watches for the change.
 */
export function transientNotice(
  id: string,
  message: string,
  until: (close: () => void) => vscode.Disposable,
): void {
  if (open.has(id)) return;
  open.add(id);
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'CustomGPT', cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        progress.report({ message });
        let watching: vscode.Disposable | undefined;
        let closed = false;
        const close = () => {
          if (closed) return;
          closed = true;
          open.delete(id);
          watching?.dispose();
          resolve();
        };
        token.onCancellationRequested(close);
        watching = until(close);
        if (closed) watching.dispose();
      }),
  );
}
