// A notification whose buttons run actions, without awaiting it: the command that showed it is
// done while the toast stays, and a toast that VS Code cancels itself (a window closing) is not
// an error.

export function offer(
  shown: Thenable<string | undefined>,
  actions: Readonly<Record<string, () => unknown>>,
): void {
  shown.then(
    (choice) => {
      if (choice !== undefined) void actions[choice]?.();
    },
    () => undefined,
  );
}
