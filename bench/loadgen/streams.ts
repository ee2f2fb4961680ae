// Streaming load: many SSE streams at once, each content chunk timed on arrival, and the
// "no coalescing" check (each upstream event reaches the client as a chunk of its own).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'undici';
import type {
  ProbeJob,
  ProbeResult,
  StreamGroup,
  StreamsJob,
  StreamsResult,
  Target,
} from './protocol';
import { headersOf, poolFor } from './requests';
import { type ContentChunk, SseReader } from './sse-reader';

interface OneStream {
  ok: boolean;
  error: string | undefined;
  sentAt: number;
  chunks: ContentChunk[];
}

/** Sends one streaming request and reads it to the end. */
async function streamOnce(
  pool: Pool,
  target: Target,
  headers: Record<string, string>,
  body: string,
): Promise<OneStream> {
  const sentAt = performance.now();
  const reader = new SseReader();
  try {
    const res = await pool.request({ method: 'POST', path: target.path, headers, body });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      return {
        ok: false,
        error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}`,
        sentAt,
        chunks: [],
      };
    }
    res.body.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      res.body.on('data', (text: string) => reader.feed(text, performance.now()));
      res.body.once('end', resolve);
      res.body.once('error', reject);
    });
  } catch (err) {
    return { ok: false, error: String(err), sentAt, chunks: reader.chunks };
  }
  const error = reader.error ?? (reader.sawDone ? undefined : 'stream ended without [DONE]');
  return { ok: error === undefined, error, sentAt, chunks: reader.chunks };
}

/** True when the pieces start with exactly the expected ones (extra trailing chunks allowed:
 * the bridge's native mode appends a Sources chunk). */
function oneChunkPerEvent(chunks: ContentChunk[], expected: string[]): boolean {
  if (chunks.length < expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (chunks[i]!.text !== expected[i]) return false;
  return true;
}

function emptyGroup(): StreamGroup {
  return {
    streams: 0,
    errors: 0,
    firstError: undefined,
    ttfc: [],
    gaps: [],
    chunksReceived: 0,
    chunksExpected: 0,
    coalescedStreams: 0,
    peakOpen: 0,
  };
}

/** Runs one group's streams: `concurrency` slots, starts spread over `staggerMs`. */
async function runGroup(
  target: Target,
  concurrency: number,
  job: StreamsJob,
): Promise<StreamGroup> {
  const pool = poolFor(target, concurrency);
  const headers = headersOf(target);
  const group = emptyGroup();
  let open = 0;
  const slot = async (i: number) => {
    // Spread the starts so the upstream's chunk timers do not all fire in one burst.
    await sleep((i * job.staggerMs) / concurrency);
    for (let w = 0; w < job.waves; w++) {
      open++;
      if (open > group.peakOpen) group.peakOpen = open;
      const s = await streamOnce(pool, target, headers, job.body);
      open--;
      group.streams++;
      if (!s.ok) {
        group.errors++;
        group.firstError ??= s.error;
      }
      group.chunksReceived += s.chunks.length;
      group.chunksExpected += job.expected.length;
      if (!oneChunkPerEvent(s.chunks, job.expected)) group.coalescedStreams++;
      const first = s.chunks[0];
      if (first) group.ttfc.push(first.at - s.sentAt);
      for (let k = 1; k < s.chunks.length; k++) {
        group.gaps.push(s.chunks[k]!.at - s.chunks[k - 1]!.at);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, i) => slot(i)));
  } finally {
    await pool.destroy();
  }
  return group;
}

export async function runStreams(job: StreamsJob): Promise<StreamsResult> {
  const [target, control] = await Promise.all([
    runGroup(job.target, job.concurrency, job),
    job.control ? runGroup(job.control.target, job.control.concurrency, job) : undefined,
  ]);
  return { kind: 'streams', target, control };
}

export async function runProbe(job: ProbeJob): Promise<ProbeResult> {
  const pool = poolFor(job.target, 1);
  try {
    if (job.stream) {
      const s = await streamOnce(pool, job.target, headersOf(job.target), job.body);
      const pieces = s.chunks.map((c) => c.text);
      return {
        kind: 'probe',
        status: s.ok ? 200 : 0,
        content: pieces.join(''),
        pieces,
        sawDone: s.error === undefined,
        error: s.error,
      };
    }
    const res = await pool.request({
      method: 'POST',
      path: job.target.path,
      headers: headersOf(job.target),
      body: job.body,
    });
    const text = await res.body.text();
    let content = '';
    let error: string | undefined;
    try {
      const parsed = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] };
      const c = parsed.choices?.[0]?.message?.content;
      if (typeof c === 'string') content = c;
      else error = `no choices[0].message.content in ${text.slice(0, 200)}`;
    } catch {
      error = `not JSON: ${text.slice(0, 200)}`;
    }
    if (res.statusCode !== 200) error = `HTTP ${res.statusCode}: ${text.slice(0, 200)}`;
    return { kind: 'probe', status: res.statusCode, content, pieces: [], sawDone: false, error };
  } finally {
    await pool.destroy();
  }
}
