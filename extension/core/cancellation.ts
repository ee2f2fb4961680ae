// VS Code rejects a pending dialog or API call with a "Canceled" error when it cancels the call
// itself: a window closing while a notification, input box or secret write is open. That is
// not a failure to report. The check is by shape, not `instanceof Error`: the error may come
// through VS Code's RPC layer or another realm, and vscode.CancellationError is named
// 'Canceled' too. No `vscode` import, so mocha tests it directly.

const CANCELED = 'Canceled';

export function isCancellation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return name === CANCELED || message === CANCELED;
}
