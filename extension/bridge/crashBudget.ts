// Restart-on-crash with a budget: a bridge that keeps dying must not be restarted forever
// (it would spam the log and the CPU). Like vscode-languageclient's DefaultErrorHandler.

export interface CrashDecision {
  restart: boolean;
  /** Crashes counted inside the window, this one included. */
  crashes: number;
  /** Wait before restarting; grows with each crash in the window. */
  delayMs: number;
}

export class CrashBudget {
  private crashTimes: number[] = [];

  constructor(
    /** The crash that reaches this count inside the window stops the restarts. */
    readonly maxCrashes = 4,
    readonly windowMs = 3 * 60 * 1000,
    /** First restart delay; doubles per crash in the window up to maxDelayMs. */
    readonly baseDelayMs = 500,
    readonly maxDelayMs = 4000,
  ) {}

  recordCrash(now: number): CrashDecision {
    this.crashTimes = this.crashTimes.filter((at) => now - at < this.windowMs);
    this.crashTimes.push(now);
    const crashes = this.crashTimes.length;
    if (crashes >= this.maxCrashes) return { restart: false, crashes, delayMs: 0 };
    return {
      restart: true,
      crashes,
      delayMs: Math.min(this.baseDelayMs * 2 ** (crashes - 1), this.maxDelayMs),
    };
  }

  /** A user's explicit start or restart grants a fresh budget. */
  reset(): void {
    this.crashTimes = [];
  }

  describe(crashes: number): string {
    const minutes = Math.round(this.windowMs / 60000);
    return `The bridge crashed ${crashes} times in ${minutes} minutes, so it was not restarted again.`;
  }
}
