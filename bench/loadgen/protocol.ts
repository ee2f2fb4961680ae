// The jobs the orchestrator sends the load generator (a separate process, over IPC) and what
// comes back. Plain data only: both sides are in this folder, the generator never imports
// the orchestrator.

/** One thing under test: where to send a chat-completions request, and with which headers. */
export interface Target {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
}

/** Interleaved sequential requests: each round sends one request to every target in turn. */
export interface SeqJob {
  kind: 'seq';
  targets: Target[];
  rounds: number;
  warmupRounds: number;
  body: string;
}

/** Closed-loop load for a fixed time: `concurrency` connections, each sends as soon as answered. */
export interface ThroughputJob {
  kind: 'throughput';
  target: Target;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  body: string;
}

/** A fixed number of requests (for CPU time per request). */
export interface CountJob {
  kind: 'count';
  target: Target;
  concurrency: number;
  total: number;
  body: string;
}

/**
 * `concurrency` streams at once (starts spread over `staggerMs`), `waves` times in a row. A
 * control group of direct streams runs alongside, started the same way, so the target's chunk
 * gaps are compared with gaps measured at the same moments on the same (noisy) machine.
 */
export interface StreamsJob {
  kind: 'streams';
  target: Target;
  concurrency: number;
  control: { target: Target; concurrency: number } | undefined;
  waves: number;
  staggerMs: number;
  body: string;
  /** The content pieces the upstream sends, in order: each must arrive as its own chunk. */
  expected: string[];
}

/** One request, to check a target works and learn what it answers. */
export interface ProbeJob {
  kind: 'probe';
  target: Target;
  body: string;
  stream: boolean;
}

export type Job = SeqJob | ThroughputJob | CountJob | StreamsJob | ProbeJob;

export interface SeqResult {
  kind: 'seq';
  /** Per target name: each measured request's latency in ms, in round order. */
  latencies: Record<string, number[]>;
  errors: Record<string, number>;
}

export interface ThroughputResult {
  kind: 'throughput';
  completed: number;
  errors: number;
  elapsedMs: number;
  rps: number;
  /** The generator's own CPU use over the window, as a fraction of one core. */
  generatorCpu: number;
}

export interface CountResult {
  kind: 'count';
  completed: number;
  errors: number;
  elapsedMs: number;
}

export interface StreamGroup {
  streams: number;
  errors: number;
  firstError: string | undefined;
  /** Request sent -> first content chunk, per stream (ms). */
  ttfc: number[];
  /** Gaps between consecutive content chunks' arrivals, all streams (ms). */
  gaps: number[];
  /** Content chunks received, all streams, and the upstream events they should match. */
  chunksReceived: number;
  chunksExpected: number;
  /** Streams whose content did not arrive as exactly the upstream's pieces, one per chunk. */
  coalescedStreams: number;
  /** Most streams open at the same time. */
  peakOpen: number;
}

export interface StreamsResult {
  kind: 'streams';
  target: StreamGroup;
  control: StreamGroup | undefined;
}

export interface ProbeResult {
  kind: 'probe';
  status: number;
  /** Non-streaming: the message content. Streaming: the content pieces, in order. */
  content: string;
  pieces: string[];
  sawDone: boolean;
  error: string | undefined;
}

export type Result = SeqResult | ThroughputResult | CountResult | StreamsResult | ProbeResult;

export type ResultOf<J extends Job> = Extract<Result, { kind: J['kind'] }>;

export type Request = { id: number; job: Job };
export type Reply = { id: number; result: Result } | { id: number; error: string };
