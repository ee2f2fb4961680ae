// How much the bench measures: the full run (a few minutes) or --quick (about one minute).
// Both use the same simulator pacing, so their figures compare; --quick takes fewer samples.
import type { DistantSettings } from './phase-distant';

export interface Settings {
  quick: boolean;
  /** Skip the peer (e.g. offline, nothing cached): its column reads "not run". */
  peer: boolean;
  seq: { rounds: number; warmupRounds: number };
  /** Each target runs `rounds` slices of `sliceMs` per concurrency (after `warmupMs` each). */
  throughput: { concurrencies: number[]; rounds: number; sliceMs: number; warmupMs: number };
  cpu: { total: number; concurrency: number; warmup: number };
  streams: {
    /** Simulator pacing: characters per event, and the delay between events. */
    chunkSize: number;
    chunkDelayMs: number;
    levels: { concurrency: number; waves: number }[];
  };
  coldStarts: number;
  idleSettleMs: number;
  /** When the idle bridges are read again, from their start: after their quiet-time collection. */
  idleSettledMs: number;
  /** How long after the loopback burst the bridge's memory is read again. */
  settleAfterBurstMs: number;
  distant: DistantSettings;
}

export function settingsFor(argv: readonly string[]): Settings {
  const quick = argv.includes('--quick');
  return {
    quick,
    peer: !argv.includes('--no-peer'),
    seq: quick ? { rounds: 800, warmupRounds: 150 } : { rounds: 3000, warmupRounds: 300 },
    throughput: {
      concurrencies: [1, 64, 256],
      // Six rounds: with three, compat's share of passthrough's read 71 % and 41 % in two runs of
      // one build (2026-12-02); each round is one rotated slice per target.
      rounds: quick ? 1 : 6,
      sliceMs: 1000,
      warmupMs: 300,
    },
    cpu: quick
      ? { total: 2000, concurrency: 32, warmup: 200 }
      : { total: 6000, concurrency: 32, warmup: 400 },
    streams: {
      // 16 characters every 50 ms: token-like pacing; an answer is ~19 events over ~1 s.
      chunkSize: 16,
      chunkDelayMs: 50,
      levels: [
        { concurrency: 1, waves: quick ? 2 : 4 },
        { concurrency: 100, waves: quick ? 1 : 2 },
        { concurrency: 1000, waves: 1 },
      ],
    },
    coldStarts: quick ? 5 : 9,
    // Idle is read once V8's memory reducer has made its first pass, about 8 s after start
    // (before that the heap the start-up rehearsal grew is still committed).
    idleSettleMs: 15_000,
    // The bridge collects after 25-30 s quiet, and V8's memory reducer follows within 8 s.
    idleSettledMs: 45_000,
    settleAfterBurstMs: 60_000,
    distant: {
      // 40 ms: a user in Europe and CustomGPT.ai's servers; 16 characters every 5 ms.
      rttMs: 40,
      chunkSize: 16,
      chunkDelayMs: 5,
      rounds: quick ? 8 : 20,
      freshRuns: quick ? 3 : 5,
      settleMs: 1000,
    },
  };
}

/** The request every target gets: one user question, answered from the simulator's docs. */
export function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'How do I install Acme Rocket?' }],
    ...(stream ? { stream: true } : {}),
  });
}
