// VS Code's language-model messages -> the bridge's chat messages. Pure and free of `vscode`
// (parts are matched by shape), so mocha tests it.
//
// What is kept: the text of user and assistant turns. What is dropped, and why:
// - system turns (the proposed System role, 3): the default agent's system prompt tells a coding
//   assistant how to use tools and format code; sent on, the bridge would make it the project's
//   `custom_persona` and replace the persona the project's owner wrote;
// - tool calls, tool results and data parts: the project cannot call tools
//   (capabilities.toolCalling is false), and binary data has no place in a text prompt.
import type { ChatMessage } from '../chatClient';

/** LanguageModelChatMessageRole.User / .Assistant (stable) and .System (proposed). */
export const ROLE_USER = 1;
export const ROLE_ASSISTANT = 2;

export interface MessageLike {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
}

/** The text of a LanguageModelTextPart (`{ value: string }`), else undefined. */
function textOf(part: unknown): string | undefined {
  if (typeof part !== 'object' || part === null) return undefined;
  const value = (part as { value?: unknown }).value;
  return typeof value === 'string' ? value : undefined;
}

export function messageText(message: MessageLike): string {
  return message.content
    .map(textOf)
    .filter((t): t is string => t !== undefined)
    .join('');
}

/**
 * The default agent wraps the person's words in its own prompt scaffolding: Ask mode sends the
 * question as `<prompt>\n...\n</prompt>` (Copilot Chat 0.67), Agent mode puts it in
 * `<userRequest>` among `<context>`, `<reminderInstructions>` and the like, while the history
 * holds the earlier questions bare. A project answers from its documents: what it should search
 * for is the request, not the scaffolding (and the turns must read the same in the history).
 */
export function userRequestOf(text: string): string {
  const request = /<userRequest>\s*([\s\S]*?)\s*<\/userRequest>/.exec(text)?.[1];
  if (request) return request;
  const whole = /^\s*<prompt>\s*([\s\S]*?)\s*<\/prompt>\s*$/.exec(text)?.[1];
  return whole ? whole : text;
}

/**
 * User and assistant turns as the bridge takes them: text only, empty turns dropped, adjacent
 * turns of one role merged (the bridge expects a dialog), ending with the person's question.
 */
export function toChatMessages(messages: ReadonlyArray<MessageLike>): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const role =
      message.role === ROLE_USER ? 'user' : message.role === ROLE_ASSISTANT ? 'assistant' : null;
    if (role === null) continue;
    const raw = messageText(message);
    const text = (role === 'user' ? userRequestOf(raw) : raw).trim();
    if (!text) continue;
    const last = out.at(-1);
    if (last?.role === role) last.content = `${last.content}\n\n${text}`;
    else out.push({ role, content: text });
  }
  // The bridge answers the last user turn: trailing assistant text has nothing to answer.
  while (out.length > 0 && out.at(-1)?.role !== 'user') out.pop();
  return out;
}
