// Conversations and their messages, kept in memory and capped (oldest dropped first) so a
// long soak that opens a conversation per request stays bounded.
import { randomUUID } from 'node:crypto';
import { type Conversation, laravelTimestamp, type PromptHistory } from './wire';

export const CONVERSATION_CAP = 10_000;
export const MESSAGES_PER_CONVERSATION_CAP = 1_000;

export interface StoredConversation {
  conversation: Conversation;
  messages: PromptHistory[];
}

export interface NewMessage {
  query: string;
  response: string;
  citations: number[];
  metadata: PromptHistory['metadata'];
}

export class ConversationStore {
  private readonly bySession = new Map<string, StoredConversation>();
  // Ids continue from the values seen in the API's own examples; they only need to be unique.
  private nextConversationId = 219;
  private nextPromptId = 431;

  constructor(private readonly userId: number) {}

  create(projectId: number, name: string | undefined): StoredConversation {
    const now = laravelTimestamp(new Date());
    const id = this.nextConversationId++;
    const conversation: Conversation = {
      id,
      name: name ?? `Conversation ${id}`,
      project_id: projectId,
      created_by: this.userId,
      session_id: randomUUID(),
      created_at: now,
      updated_at: now,
    };
    const stored: StoredConversation = { conversation, messages: [] };
    this.bySession.set(conversation.session_id, stored);
    if (this.bySession.size > CONVERSATION_CAP) {
      const oldest = this.bySession.keys().next().value;
      if (oldest !== undefined) this.bySession.delete(oldest);
    }
    return stored;
  }

  /** The conversation with this session id, if it belongs to the project. */
  get(projectId: number, sessionId: string): StoredConversation | undefined {
    const found = this.bySession.get(sessionId);
    return found && found.conversation.project_id === projectId ? found : undefined;
  }

  /** Deletes the conversation with its messages; false when the project has no such one. */
  delete(projectId: number, sessionId: string): boolean {
    if (!this.get(projectId, sessionId)) return false;
    return this.bySession.delete(sessionId);
  }

  /** The project's conversations, oldest first. */
  list(projectId: number): Conversation[] {
    const out: Conversation[] = [];
    for (const c of this.bySession.values())
      if (c.conversation.project_id === projectId) out.push(c.conversation);
    return out;
  }

  addMessage(stored: StoredConversation, message: NewMessage): PromptHistory {
    const now = laravelTimestamp(new Date());
    const entry: PromptHistory = {
      id: this.nextPromptId++,
      user_id: this.userId,
      user_query: message.query,
      openai_response: message.response,
      created_at: now,
      updated_at: now,
      conversation_id: stored.conversation.id,
      citations: message.citations,
      metadata: message.metadata,
    };
    if (stored.messages.push(entry) > MESSAGES_PER_CONVERSATION_CAP) stored.messages.shift();
    stored.conversation.updated_at = now;
    return entry;
  }
}
