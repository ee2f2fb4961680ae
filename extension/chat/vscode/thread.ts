// A chat thread's state, carried in the participant's own results: VS Code hands the thread's
// earlier turns back on every request (ChatContext.history), and each response turn keeps the
// `metadata` our handler returned. So the project a thread answers from and its upstream
// session live in the thread itself: two chats never share a conversation, and a reloaded
// window continues where the chat left off. Pure (shapes, not vscode classes).

export interface TurnMetadata {
  /** The project this thread answers from (set by /project or the first answer). */
  projectId?: string;
  /** The CustomGPT.ai conversation of this thread in that project. */
  sessionId?: string;
  /** The upstream message id of this answer, for feedback. */
  promptId?: number;
  /** Example questions of the project, offered as follow-ups. */
  followups?: string[];
}

export interface ThreadState {
  projectId: string | undefined;
  sessionId: string | undefined;
}

function metadataOf(turn: unknown): TurnMetadata | undefined {
  if (typeof turn !== 'object' || turn === null) return undefined;
  const result = (turn as { result?: unknown }).result;
  if (typeof result !== 'object' || result === null) return undefined;
  const metadata = (result as { metadata?: unknown }).metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as TurnMetadata) : undefined;
}

/** The latest project of the thread and, when that project answered since, its session. */
export function threadState(history: ReadonlyArray<unknown>): ThreadState {
  for (let i = history.length - 1; i >= 0; i--) {
    const metadata = metadataOf(history[i]);
    if (typeof metadata?.projectId !== 'string' || metadata.projectId === '') continue;
    return {
      projectId: metadata.projectId,
      sessionId: typeof metadata.sessionId === 'string' ? metadata.sessionId : undefined,
    };
  }
  return { projectId: undefined, sessionId: undefined };
}

/** Follow-ups: the project's example questions, minus the one just asked. */
export function followupsFor(examples: readonly string[], asked: string): string[] {
  const norm = (s: string) => s.trim().toLowerCase();
  return examples.filter((q) => norm(q) !== norm(asked)).slice(0, 3);
}

export interface NamedProject {
  id: string;
  name: string;
}

/** `/project <words>`: the project with that id, else that exact name, else the one name containing the words. */
export function matchProject<T extends NamedProject>(
  projects: readonly T[],
  words: string,
): T | undefined {
  const wanted = words.trim().replace(/^#/, '').toLowerCase();
  if (!wanted) return undefined;
  const byId = projects.find((p) => p.id === wanted);
  if (byId) return byId;
  const exact = projects.find((p) => p.name.trim().toLowerCase() === wanted);
  if (exact) return exact;
  const containing = projects.filter((p) => p.name.toLowerCase().includes(wanted));
  return containing.length === 1 ? containing[0] : undefined;
}
