// What the simulator saw: requests in arrival order and every SSE response, each log capped so
// a long soak stays bounded. The arrays are exposed as they are (and emptied in place on reset),
// so a reference taken before a reset keeps following the simulator.
import type { FeedbackRecord, RecordedRequest, StreamRecord } from './types';

export const RECORD_CAP = 10_000;

type Outcome = NonNullable<StreamRecord['outcome']>;

export class Recorder {
  readonly requests: RecordedRequest[] = [];
  readonly streams: StreamRecord[] = [];
  readonly feedback: FeedbackRecord[] = [];
  private open = 0;

  constructor(private readonly cap = RECORD_CAP) {}

  request(entry: RecordedRequest): void {
    // shift() on a full log is cheap: V8 moves the array's start instead of copying it.
    if (this.requests.push(entry) > this.cap) this.requests.shift();
  }

  feedbackGiven(entry: FeedbackRecord): void {
    if (this.feedback.push(entry) > this.cap) this.feedback.shift();
  }

  streamStarted(path: string): StreamRecord {
    const record: StreamRecord = { path, startedAt: Date.now() };
    if (this.streams.push(record) > this.cap) this.streams.shift();
    this.open++;
    return record;
  }

  /** Ends a stream once; later calls (e.g. the socket's close after a fault) change nothing. */
  streamEnded(record: StreamRecord, outcome: Outcome): void {
    if (record.endedAt !== undefined) return;
    record.endedAt = Date.now();
    record.outcome = outcome;
    this.open--;
  }

  openStreams(): number {
    return this.open;
  }

  /** Forgets the logs; streams still open keep counting in openStreams(). */
  clear(): void {
    this.requests.length = 0;
    this.streams.length = 0;
    this.feedback.length = 0;
  }
}
