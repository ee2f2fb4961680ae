// The CustomGPT.ai simulator (dist/simulator.js) as its own process: the extension's bridge
// talks to it exactly as it would to the real API.
import path from 'node:path';
import { type Started, startGroup, stopGroup, waitForLine } from './processes';

export interface Simulator {
  url: string;
  process: Started;
  stop(): Promise<void>;
}

interface SimulatorReady {
  event: 'ready';
  url: string;
  port: number;
}

function parseReady(line: string): SimulatorReady | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (
      typeof value === 'object' &&
      value !== null &&
      'event' in value &&
      value.event === 'ready'
    ) {
      return value as SimulatorReady;
    }
  } catch {
    // not the ready line
  }
  return undefined;
}

export async function startSimulator(options: {
  repoRoot: string;
  apiKey: string;
  /** Slow chunks keep a stream open long enough for a person (and the test) to see it. */
  chunkSize: number;
  chunkDelayMs: number;
  logFile: string;
}): Promise<Simulator> {
  const started = startGroup({
    command: process.execPath,
    args: [
      path.join(options.repoRoot, 'dist', 'simulator.js'),
      '--port',
      '0',
      '--chunk-size',
      String(options.chunkSize),
      '--chunk-delay',
      String(options.chunkDelayMs),
    ],
    // The key travels in the environment, not argv, so `ps` does not show it.
    env: { ...process.env, SIM_API_KEY: options.apiKey },
    logFile: options.logFile,
  });
  const ready = await waitForLine(started, parseReady, 15_000, 'simulator');
  return { url: ready.url, process: started, stop: () => stopGroup(started) };
}

/** One request as the simulator recorded it (GET /__sim/requests). */
export interface SimRequest {
  method: string;
  path: string;
  body: unknown;
}

/** GET /__sim/<what> of the simulator at `url`: its records (requests, feedback, ...). */
export async function simRecords<T>(url: string, what: string): Promise<T> {
  const res = await fetch(`${url}/__sim/${what}`);
  return (await res.json()) as T;
}

/** A question sent into a conversation (the native messages call). */
export const isSend = (r: SimRequest): boolean =>
  r.method === 'POST' && /\/conversations\/[^/]+\/messages$/.test(r.path);

/** The prompt a recorded request carried ('' when none). */
export const promptOf = (r: SimRequest): string =>
  typeof r.body === 'object' && r.body !== null
    ? String((r.body as { prompt?: unknown }).prompt)
    : '';
