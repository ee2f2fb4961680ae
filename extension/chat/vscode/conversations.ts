// VS Code resends a chat's whole history to a language model on every turn. The bridge already
// continues an upstream conversation when the history repeats its previous answer exactly, but
// the Chat view may hand back an answer re-rendered (whitespace, links). This memory keys a
// conversation on a fingerprint that survives that: each turn's role and the first letters and
// digits of its text. The provider names the remembered session explicitly
// (x-customgpt-session-id), so CustomGPT.ai keeps its context and gets only the new question.
import type { ChatMessage } from '../chatClient';

/** Letters and digits of a turn that go into its fingerprint. */
const FINGERPRINT_CHARS = 160;
export const MAX_CONVERSATIONS = 500;

function turnPrint(message: ChatMessage): string {
  const letters = message.content
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .slice(0, FINGERPRINT_CHARS);
  return `${message.role[0]}:${letters}`;
}

export function fingerprint(project: string, turns: readonly ChatMessage[]): string {
  return `${project}|${turns.map(turnPrint).join('|')}`;
}

export class ConversationMemory {
  private readonly sessions = new Map<string, string>();

  constructor(private readonly max = MAX_CONVERSATIONS) {}

  /** The session whose transcript matches all turns before the new question. */
  sessionFor(project: string, messages: readonly ChatMessage[]): string | undefined {
    if (messages.length < 3) return undefined; // a first question starts a conversation
    return this.sessions.get(fingerprint(project, messages.slice(0, -1)));
  }

  /** After an answer: the transcript including it continues `session`. */
  remember(project: string, messages: readonly ChatMessage[], answer: string, session: string) {
    const key = fingerprint(project, [...messages, { role: 'assistant', content: answer }]);
    this.sessions.delete(key);
    this.sessions.set(key, session);
    if (this.sessions.size > this.max) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
  }

  forget(session: string): void {
    for (const [key, value] of this.sessions) if (value === session) this.sessions.delete(key);
  }

  get size(): number {
    return this.sessions.size;
  }
}
