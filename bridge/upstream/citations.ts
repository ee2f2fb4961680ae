// Citation ids from a finished answer, resolved to {id, title, url}: concurrently, cached
// (LRU + TTL, in-flight lookups shared), and never failing the answer: a citation that cannot
// be resolved keeps its id with null title and url. This is the one place citation data enters
// the bridge, so it is made safe here (safe-links.ts): `url` is an http(s) URL or null, `title`
// one line of plain text or null, for every surface that shows citations.
import type { Citation } from '../chat/completion';
import type { UpstreamClient } from './client';
import { LruTtl } from './lru';
import { plainTitle, safeHttpUrl } from './safe-links';

interface CitationData {
  id?: number;
  title?: string | null;
  url?: string | null;
}

export class CitationResolver {
  private readonly cache: LruTtl<string, Promise<Citation>>;

  constructor(
    private readonly client: UpstreamClient,
    max = 2000,
    ttlMs = 60 * 60 * 1000,
  ) {
    this.cache = new LruTtl(max, ttlMs);
  }

  get size(): number {
    return this.cache.size;
  }

  resolve(project: string, ids: readonly number[]): Promise<Citation[]> {
    return Promise.all(ids.map((id) => this.one(project, id)));
  }

  private one(project: string, id: number): Promise<Citation> {
    const key = `${project}:${id}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const lookup = this.client
      .json<CitationData>({
        method: 'GET',
        path: `/projects/${encodeURIComponent(project)}/citations/${id}`,
        project,
        signal: AbortSignal.timeout(10_000),
      })
      .then(
        (c) => ({ id, title: plainTitle(c?.title), url: safeHttpUrl(c?.url) }),
        () => {
          this.cache.delete(key); // do not remember a failure
          return { id, title: null, url: null };
        },
      );
    this.cache.set(key, lookup);
    return lookup;
  }
}
