// Spare conversations: a new chat's first question costs one upstream round trip, not two.
// CustomGPT.ai has no call that opens a conversation and asks in it at once, so the bridge
// creates one conversation ahead of need for each project in use and hands it to the next new
// chat, then makes the next spare in the background.
//
// Conservative by design (README, "Spare conversations"):
//   - only for projects in use: the bridge's configured project (it is what the user picked),
//     and any other project only after a question to it succeeded;
//   - at most one spare per project and `maxProjects` projects (the least recently used spare
//     beyond that is deleted);
//   - a spare unused for `idleMs` is deleted and not replaced until the project is asked again;
//   - close() deletes every spare (the ones still being created too), so a clean shutdown
//     leaves no unused conversation in the user's account.
// A spare is named "Chat" when made; the chat that takes it renames it after its first
// question, as a conversation made on demand is named.
import { setTimeout as sleep } from 'node:timers/promises';
import type { UpstreamClient } from './client';

/** Creates one conversation and returns its session id (NativeBackend's call, shared). */
export type CreateConversation = (project: string, name: string) => Promise<string>;

export interface ConversationPoolOptions {
  /** A spare unused this long is deleted (default 10 minutes). */
  idleMs?: number;
  /** Most projects with a spare at once (default 8). */
  maxProjects?: number;
  /** Limit for each delete at close (default 3 s). */
  deleteTimeoutMs?: number;
  onError?: (what: string, err: unknown) => void;
}

interface Spare {
  session: Promise<string | undefined>;
  timer: NodeJS.Timeout;
}

export class ConversationPool {
  private readonly spares = new Map<string, Spare>();
  /** Spares whose deletion is under way (expired or evicted), awaited by close(). */
  private readonly deleting = new Set<Promise<void>>();
  private readonly idleMs: number;
  private readonly maxProjects: number;
  private readonly deleteTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly client: UpstreamClient,
    private readonly create: CreateConversation,
    private readonly opts: ConversationPoolOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? 10 * 60 * 1000;
    this.maxProjects = opts.maxProjects ?? 8;
    this.deleteTimeoutMs = opts.deleteTimeoutMs ?? 3000;
  }

  /** Projects with a spare ready or being made (tests, /bridge/info). */
  get size(): number {
    return this.spares.size;
  }

  /**
   * The project's spare conversation (resolves to undefined if making it failed), or
   * undefined when it has none. The caller primes the next one once its question is sent, so
   * making it never competes with the question.
   */
  take(project: string): Promise<string | undefined> | undefined {
    const spare = this.spares.get(project);
    if (!spare) return undefined;
    this.spares.delete(project);
    clearTimeout(spare.timer);
    return spare.session;
  }

  /** Makes a spare for the project unless it has one (or the pool is closed). */
  prime(project: string): void {
    if (this.closed || this.spares.has(project)) return;
    const session = this.create(project, 'Chat').then(
      (id) => id,
      (err: unknown) => {
        // Not retried: the next question to the project makes its conversation on demand
        // (and reports the error, if it persists, where the user sees it).
        if (this.spares.get(project)?.session === session) this.spares.delete(project);
        this.opts.onError?.('could not make a spare conversation', err);
        return undefined;
      },
    );
    const timer = setTimeout(() => this.expire(project, session), this.idleMs);
    timer.unref();
    this.spares.set(project, { session, timer });
    while (this.spares.size > this.maxProjects) {
      const oldest = this.spares.keys().next().value as string;
      this.expire(oldest, this.spares.get(oldest)!.session);
    }
  }

  /** Settles once the project's spare (if any) is made or has failed. */
  async made(project: string): Promise<void> {
    await this.spares.get(project)?.session;
  }

  /** Renames a conversation taken from the pool after the chat's first question. */
  rename(project: string, session: string, name: string): void {
    this.client
      .json({
        method: 'PUT',
        path: `/projects/${encodeURIComponent(project)}/conversations/${encodeURIComponent(session)}`,
        body: { name },
        project,
        signal: AbortSignal.timeout(10_000),
      })
      .catch((err: unknown) => this.opts.onError?.('could not name a conversation', err));
  }

  /** Stops making spares and deletes every one left. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [project, spare] of [...this.spares]) this.expire(project, spare.session);
    // Bounded: a spare still being made waits for its creation, then for its deletion.
    await Promise.race([
      Promise.all([...this.deleting]),
      sleep(3 * this.deleteTimeoutMs, undefined, { ref: false }),
    ]);
  }

  private expire(project: string, session: Promise<string | undefined>): void {
    const spare = this.spares.get(project);
    if (spare?.session === session) {
      clearTimeout(spare.timer);
      this.spares.delete(project);
    }
    const done = session
      .then((id) => (id ? this.remove(project, id) : undefined))
      .finally(() => this.deleting.delete(done));
    this.deleting.add(done);
  }

  private async remove(project: string, session: string): Promise<void> {
    try {
      await this.client.json({
        method: 'DELETE',
        path: `/projects/${encodeURIComponent(project)}/conversations/${encodeURIComponent(session)}`,
        project,
        signal: AbortSignal.timeout(this.deleteTimeoutMs),
      });
    } catch (err) {
      this.opts.onError?.('could not delete a spare conversation', err);
    }
  }
}
