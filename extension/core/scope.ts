// Disposables grouped by lifetime. The extension has two lifetimes that matter: the extension's
// own (commands, status bar, log channel) and one bridge connection's (child process, activity
// socket, timers), which is thrown away and renewed on every restart or re-attach.

/** Anything that can be cleaned up; may finish asynchronously (a process needs time to exit). */
export type Cleanup = () => void | Promise<void>;

export interface DisposableLike {
  dispose(): unknown;
}

export class Scope {
  private cleanups: Cleanup[] = [];
  private disposedFlag = false;

  get disposed(): boolean {
    return this.disposedFlag;
  }

  /** Registers a cleanup; when the scope is already gone it runs at once (no leak on a race). */
  add(cleanup: Cleanup): void {
    if (this.disposedFlag) {
      void Promise.resolve()
        .then(cleanup)
        .catch(() => undefined);
      return;
    }
    this.cleanups.push(cleanup);
  }

  track<T extends DisposableLike>(disposable: T): T {
    this.add(() => {
      disposable.dispose();
    });
    return disposable;
  }

  /** Runs every cleanup, newest first; one failing cleanup does not stop the others. */
  async dispose(): Promise<void> {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    const cleanups = this.cleanups.reverse();
    this.cleanups = [];
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch {
        // A cleanup that throws must not keep the rest (e.g. killing the process) from running.
      }
    }
  }
}

/** The two lifetimes, owned by one context object. */
export class LifeScopes {
  readonly extension = new Scope();
  private bridgeScope = new Scope();

  get bridge(): Scope {
    return this.bridgeScope;
  }

  /** Ends the current bridge lifetime and starts a fresh one. */
  async renewBridge(): Promise<Scope> {
    const old = this.bridgeScope;
    this.bridgeScope = new Scope();
    await old.dispose();
    return this.bridgeScope;
  }

  async dispose(): Promise<void> {
    await this.bridgeScope.dispose();
    await this.extension.dispose();
  }
}
