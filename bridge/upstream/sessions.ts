// Conversation reuse: the bridge remembers, for each upstream session it drove, a digest of the
// transcript as the client saw it. A later request whose earlier turns hash to a remembered
// transcript continues that session and sends only its new user message, so CustomGPT.ai keeps
// its own context and the client still manages history the OpenAI way.
import { createHash } from 'node:crypto';
import type { ChatTurn } from '../chat/request';
import { LruTtl } from './lru';

export class SessionMemory {
  private readonly byTranscript: LruTtl<string, string>;

  constructor(max = 2000, ttlMs = 6 * 60 * 60 * 1000, now?: () => number) {
    this.byTranscript = new LruTtl(max, ttlMs, now);
  }

  get size(): number {
    return this.byTranscript.size;
  }

  /**
   * The session whose transcript (persona and turns) is exactly `turns`, if remembered, and
   * forgotten as it is handed out: the upstream conversation moves on with this request, so a
   * regenerate, an edit or another chat with the same opening must not land in it too.
   */
  take(project: string, turns: readonly ChatTurn[]): string | undefined {
    const key = transcriptKey(project, turns);
    const session = this.byTranscript.get(key);
    if (session !== undefined) this.byTranscript.delete(key);
    return session;
  }

  /** Like take(), without forgetting (for inspection and tests). */
  find(project: string, turns: readonly ChatTurn[]): string | undefined {
    return this.byTranscript.get(transcriptKey(project, turns));
  }

  remember(project: string, turns: readonly ChatTurn[], sessionId: string): void {
    this.byTranscript.set(transcriptKey(project, turns), sessionId);
  }

  forget(project: string, turns: readonly ChatTurn[]): void {
    this.byTranscript.delete(transcriptKey(project, turns));
  }
}

/**
 * Hash of the persona (system and developer text) and the user/assistant turns, each
 * whitespace-trimmed (clients often trim what they resend). The persona is part of the key: two
 * chats with the same opening question and answer but different system prompts are different
 * conversations, and a changed persona starts a new one.
 */
export function transcriptKey(project: string, turns: readonly ChatTurn[]): string {
  // Every part is tagged and length-prefixed, so no text can imitate a boundary.
  const h = createHash('sha256').update(`${project.length}:${project}`);
  const persona = personaOf(turns)?.trim() ?? '';
  h.update(`p${persona.length}:`).update(persona);
  for (const t of turns) {
    if (t.role !== 'user' && t.role !== 'assistant') continue;
    const text = t.text.trim();
    h.update(`${t.role === 'user' ? 'u' : 'a'}${text.length}:`).update(text);
  }
  return h.digest('base64url');
}

/**
 * The most a folded prompt may hold, in UTF-8 bytes: about 25,000 tokens of English, far under
 * the models' context windows and the upstream's request-size limit (a 3.8 MB prompt was refused
 * with 413). CustomGPT.ai documents no prompt limit, so this is a bridge choice (README,
 * "Conversation reuse"). It bounds what the bridge adds (earlier turns); the current question
 * is never cut or refused here: if it alone is too large, the upstream decides (413 -> 413).
 */
export const MAX_FOLDED_PROMPT_BYTES = 100_000;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Earlier turns folded into one prompt for a fresh upstream conversation, newest kept first
 * within `maxBytes`, whole turns only. The format is documented in README ("Conversation reuse"):
 *   [Conversation so far]
 *   (3 earlier turns were left out: the conversation is longer than the bridge sends.)
 *   User: ...
 *   Assistant: ...
 *
 *   [Current question]
 *   ...
 * The note appears only when turns were left out.
 */
export function foldTranscript(
  turns: readonly ChatTurn[],
  maxBytes = MAX_FOLDED_PROMPT_BYTES,
): string {
  const dialog = turns.filter((t) => t.role === 'user' || t.role === 'assistant');
  const last = dialog[dialog.length - 1];
  if (!last) return '';
  if (dialog.length === 1) return last.text;
  const earlier = dialog.length - 1;
  const head = '[Conversation so far]';
  const tail = `\n\n[Current question]\n${last.text}`;
  let room = maxBytes - bytes(head) - bytes(tail);
  const kept: string[] = []; // newest first
  for (let i = earlier - 1; i >= 0; i--) {
    const t = dialog[i]!;
    const line = `${t.role === 'user' ? 'User' : 'Assistant'}: ${t.text.trim()}`;
    const cost = bytes(line) + 1; // and its line break
    if (cost > room) break; // whole turns only, and no gap in what is kept
    room -= cost;
    kept.push(line);
  }
  if (kept.length < earlier) {
    // The note must fit too: make room by leaving out the oldest kept turns.
    while (kept.length > 0 && room < bytes(omissionNote(earlier - kept.length)) + 1) {
      room += bytes(kept.pop()!) + 1;
    }
  }
  const lines = [head];
  if (kept.length < earlier) lines.push(omissionNote(earlier - kept.length));
  return lines.concat(kept.reverse()).join('\n') + tail;
}

function omissionNote(left: number): string {
  return left === 1
    ? '(1 earlier turn was left out: the conversation is longer than the bridge sends.)'
    : `(${left} earlier turns were left out: the conversation is longer than the bridge sends.)`;
}

/** System and developer turns become CustomGPT.ai's `custom_persona`. */
export function personaOf(turns: readonly ChatTurn[]): string | undefined {
  let persona = '';
  for (const t of turns) {
    if (t.role === 'system' || t.role === 'developer') {
      persona += persona === '' ? t.text : `\n\n${t.text}`;
    }
  }
  return persona.trim() === '' ? undefined : persona;
}
