// The orchestrator's handle on the load generator process: send a job, await its result.
import { type ChildProcess, fork } from 'node:child_process';
import type { Job, Reply, Result, ResultOf } from './protocol';

export class LoadGenerator {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (r: Reply) => {
      const done = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      done?.(r);
    });
    child.once('exit', (code) => {
      for (const done of this.waiting.values())
        done({ id: 0, error: `load generator exited (${code})` });
      this.waiting.clear();
    });
  }

  /** Starts the bundled generator (plain node: no TypeScript loader in the measuring process). */
  static start(script: string): LoadGenerator {
    return new LoadGenerator(fork(script, [], { execArgv: [], stdio: 'inherit' }));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  run<J extends Job>(job: J): Promise<ResultOf<J>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (r) => {
        if ('error' in r) reject(new Error(`load generator: ${r.error}`));
        else resolve(r.result as Result as ResultOf<J>);
      });
      this.child.send({ id, job });
    });
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
      setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
    });
  }
}
