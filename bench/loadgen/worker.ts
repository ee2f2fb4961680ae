// The load generator process: runs one job at a time, as the orchestrator sends them over IPC.
// A process of its own so that its CPU use is not counted against (or taken from) any target.
import type { Job, Reply, Request, Result } from './protocol';
import { runCount, runSeq, runThroughput } from './requests';
import { runProbe, runStreams } from './streams';

function run(job: Job): Promise<Result> {
  switch (job.kind) {
    case 'seq':
      return runSeq(job);
    case 'throughput':
      return runThroughput(job);
    case 'count':
      return runCount(job);
    case 'streams':
      return runStreams(job);
    case 'probe':
      return runProbe(job);
  }
}

process.on('message', (msg: Request) => {
  run(msg.job).then(
    (result) => reply({ id: msg.id, result }),
    (err: unknown) =>
      reply({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});

function reply(r: Reply): void {
  process.send?.(r);
}

// The orchestrator going away (IPC closed) ends the generator too.
process.on('disconnect', () => process.exit(0));
