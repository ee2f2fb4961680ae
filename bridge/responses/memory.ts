// previous_response_id: which upstream conversation each response of this bridge belongs to.
// CustomGPT.ai conversations are server-side already, so continuing a response means asking the
// same conversation the next question: no transcript to keep or match. Bounded (LRU + TTL, the
// same limits as conversation reuse: sessionMax, sessionTtlMs); the response bodies themselves
// are not kept.
import { LruTtl } from '../upstream/lru';

export interface ResponseThread {
  project: string;
  sessionId: string;
}

export class ResponseMemory {
  private readonly threads: LruTtl<string, ResponseThread>;

  constructor(max = 2000, ttlMs = 6 * 60 * 60 * 1000, now?: () => number) {
    this.threads = new LruTtl(max, ttlMs, now);
  }

  get size(): number {
    return this.threads.size;
  }

  remember(responseId: string, thread: ResponseThread): void {
    this.threads.set(responseId, thread);
  }

  /** The conversation of an earlier response, if it is still remembered. */
  thread(responseId: string): ResponseThread | undefined {
    return this.threads.get(responseId);
  }
}
