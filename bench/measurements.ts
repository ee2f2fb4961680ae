// Everything one bench run measured, before it is judged: written as is to latest.json.
import type { WorstStall } from '../bridge/loop-delay';
import type { MemoryMb } from './procfs';
import type { PerTarget } from './targets';

export interface SeqFigures {
  p50: number;
  p99: number;
  n: number;
  errors: number;
}

export interface ThroughputFigures {
  rps: number;
  errors: number;
  /** The load generator's CPU over the window, in cores: near 1.0 would mean it is the limit. */
  generatorCpu: number;
}

export interface StreamFigures {
  streams: number;
  errors: number;
  firstError?: string;
  ttfcP50: number;
  ttfcP99: number;
  gapP50: number;
  gapP99: number;
  gaps: number;
  chunksReceived: number;
  chunksExpected: number;
  coalescedStreams: number;
  peakOpen: number;
  /** Peak RSS of the target's process while the streams were open (MB). */
  rssPeakMb: number;
  /** Its private part (RssAnon) at that moment. */
  rssPeakAnonMb: number;
  /** CPU of the target's process per stream (ms). */
  cpuPerStreamMs: number;
  /** The direct streams that ran alongside, as the baseline for the same moments. */
  control: { streams: number; errors: number; ttfcP50: number; gapP50: number; gapP99: number };
}

/** One adversarial usage input sent to a bridge (bench/phase-event-loop.ts). */
export interface AdversarialFigures {
  /** Slowest answer to a concurrent /bridge/health poll while the input streamed (ms). */
  stallMs: number;
  /** The adversarial request itself, start to [DONE] (ms). */
  requestMs: number;
  polls: number;
  error?: string;
}

/** The distant-upstream section, one transport (http or https): samples in ms. */
export interface DistantTransport {
  /** Direct: the native API, on an existing conversation. */
  direct: { ttft: number[]; tail: number[] };
  newChat: PerTarget<number[]>;
  followUp: PerTarget<number[]>;
  /** A freshly started bridge's first question. */
  fresh: PerTarget<number[]>;
  /** Last answer text -> [DONE]: warm bridges, and fresh bridges' first answers (cold). */
  tailWarm: PerTarget<number[]>;
  tailCold: PerTarget<number[]>;
  errors: string[];
}

export interface DistantFigures {
  rttMs: number;
  chunkDelayMs: number;
  transports: Partial<Record<'http' | 'https', DistantTransport>>;
}

export interface Measurements {
  /** Targets that failed their probe, with why; they are left out of what follows. */
  failed: PerTarget<string>;
  rssIdleMb: PerTarget<number>;
  rssIdleAnonMb: PerTarget<number>;
  /** Idle memory of bridges started with the flags given, as the extension and npm start do. */
  rssIdleFlagsGiven: PerTarget<MemoryMb>;
  /** The same bridges read again once idle for good: after their quiet-time collection. */
  rssIdleSettled: PerTarget<MemoryMb>;
  /** Seconds from those bridges' start to the settled reading. */
  idleSettledAfterS: number | undefined;
  /** VmRSS of a bare node:http server on the same Node: the floor under any Node program. */
  nodeFloorMb: MemoryMb | undefined;
  seq: PerTarget<SeqFigures>;
  /** Direct measured twice in the same rounds: the second minus the first (the noise floor). */
  seqNoise: { p50: number; p99: number } | undefined;
  /** Keyed by concurrency. */
  throughput: Record<string, PerTarget<ThroughputFigures>>;
  cpuPerRequestMs: PerTarget<number>;
  /** Keyed by concurrency. */
  streams: Record<string, PerTarget<StreamFigures>>;
  coldStartMs: PerTarget<{ median: number; runs: number[] }>;
  sizeKb: PerTarget<number>;
  /** dist/mcp-sdk.js, loaded by the bridge on its first MCP use only (not in sizeKb). */
  mcpChunkKb: number | undefined;
  /** Per bridge mode, per adversarial input (by name). */
  adversarial: PerTarget<Record<string, AdversarialFigures>>;
  /** Memory right after the loopback burst (throughput and CPU phases), and a minute later. */
  rssAfterBurst: PerTarget<MemoryMb>;
  rssSettled: PerTarget<MemoryMb>;
  /** Seconds between the end of the burst and the settled reading. */
  settledAfterS: number | undefined;
  /** Worst event-loop delay of any bridge process of the run (ms), per mode. */
  loopDelayMaxMs: PerTarget<number>;
  /** The worst p99 of the same (ms), per mode. */
  loopDelayP99Ms: PerTarget<number>;
  /** The worst delay per mode and the bench phase its bridge was started in ("native streams"). */
  loopDelayByPhaseMs: Record<string, number>;
  /**
   * The worst stall of a 10 ms timer per mode, with the main thread's CPU time across it (tick
   * to tick): how much of it was the bridge's own work and how much waiting for a core.
   */
  loopWorstStall: PerTarget<WorstStall>;
  /** The same per mode and phase, as loopDelayByPhaseMs. */
  loopWorstStallByPhase: Record<string, WorstStall>;
  distant: DistantFigures | undefined;
}

export function emptyMeasurements(): Measurements {
  return {
    failed: {},
    rssIdleMb: {},
    rssIdleAnonMb: {},
    rssIdleFlagsGiven: {},
    rssIdleSettled: {},
    idleSettledAfterS: undefined,
    nodeFloorMb: undefined,
    seq: {},
    seqNoise: undefined,
    throughput: {},
    cpuPerRequestMs: {},
    streams: {},
    coldStartMs: {},
    sizeKb: {},
    mcpChunkKb: undefined,
    adversarial: {},
    rssAfterBurst: {},
    rssSettled: {},
    settledAfterS: undefined,
    loopDelayMaxMs: {},
    loopDelayP99Ms: {},
    loopDelayByPhaseMs: {},
    loopWorstStall: {},
    loopWorstStallByPhase: {},
    distant: undefined,
  };
}
