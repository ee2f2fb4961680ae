// V8 favours memory over speed (--optimize-for-size) while every bridge in this process is
// quiet. Its memory reducer (collections that compact the heap and release the pages V8 keeps
// pooled) runs only for a low allocation rate or while that flag holds; after a load it kept
// reading the load's rate and never ran (traced with --trace-memory-reducer: "high alloc" every
// 8 s for minutes), so RSS stayed at its peak. The flag is read where it is used, so it can be
// turned on and off at run time; kept on under load it cost 2.4x CPU per request
// (bench/throughput-probe.ts), hence only while quiet. The flag belongs to the process, so the
// vote does too: one busy bridge (tests and the start-up rehearsal run several in a process)
// keeps it off for all.
import { setFlagsFromString } from 'node:v8';

/** Sets or clears --optimize-for-size for the whole process. */
export function favourMemory(on: boolean): void {
  setFlagsFromString(on ? '--optimize-for-size' : '--no-optimize-for-size');
}

/** Whether node was started with the flag (command line or NODE_OPTIONS, either spelling). */
export function startedFavouringMemory(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some(
    (a) => a.replace(/_/g, '-') === '--optimize-for-size',
  );
}

export interface QuietVoter {
  /** This bridge is quiet (true) or busy again (false). */
  vote(quiet: boolean): void;
  /** This bridge is gone; the others decide. */
  leave(): void;
}

/** Told each time the process turns quiet (true) or busy again (false). */
export type QuietListener = (quiet: boolean) => void;

/** The flag is on while there is at least one voter and every voter is quiet. */
export class QuietVotes {
  private readonly quiet = new Map<symbol, boolean>();
  private readonly listeners = new Set<QuietListener>();
  private favouring = false;

  constructor(private readonly setFlag: (on: boolean) => void) {}

  join(): QuietVoter {
    const id = Symbol('bridge');
    this.quiet.set(id, false);
    return {
      vote: (quiet) => {
        this.quiet.set(id, quiet);
        this.apply();
      },
      leave: () => {
        this.quiet.delete(id);
        this.apply();
      },
    };
  }

  /** Calls `listener` on each change from here on; returns the unsubscribe. */
  onChange(listener: QuietListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(): void {
    let want = this.quiet.size > 0;
    for (const q of this.quiet.values()) want &&= q;
    if (want === this.favouring) return;
    this.favouring = want;
    this.setFlag(want);
    for (const listener of this.listeners) listener(want);
  }
}

/** This process's votes. Someone who starts node with the flag wants it for good: left alone. */
export const processVotes = new QuietVotes(startedFavouringMemory() ? () => {} : favourMemory);
