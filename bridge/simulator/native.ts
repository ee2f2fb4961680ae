// The native CustomGPT.ai endpoints: account, projects, settings, conversations, messages
// (streaming or not) and citations. Each handler validates, then writes one documented shape.

import { isRecord } from '../../shared/isRecord';
import type { Exchange, SimState } from './context';
import type { StoredConversation } from './conversations';
import { sendAnswerJson } from './json-answer';
import { answerFor } from './knowledge';
import { ordered, paginate, parsePage } from './pagination';
import { MESSAGES, sendError, sendJson, success } from './responses';
import { nativeEvents } from './sse';
import { streamEvents } from './stream';
import {
  CHATBOT_MODELS,
  laravelTimestamp,
  type Project,
  REACTIONS,
  RESPONSE_SOURCES,
  type Reaction,
} from './wire';

/** Conversation messages come 20 to a page (as the real API serves them). */
const MESSAGES_PER_PAGE = 20;
const CONVERSATIONS_PER_PAGE = 10;

export { isRecord };

/** A flag sent as a query parameter or in a body: true, 1, "true", "1". */
export function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === 'true' || v === '1';
}

/** The project named in the path, or undefined after answering 400 / 404. */
export function resolveProject(ex: Exchange, state: SimState, raw: string): Project | undefined {
  if (!/^\d+$/.test(raw)) {
    sendError(ex.res, ex.url, 400, MESSAGES.projectIdNotInteger);
    return undefined;
  }
  const project = state.catalog.project(Number(raw));
  if (!project) sendError(ex.res, ex.url, 404, MESSAGES.projectNotFound(raw));
  return project;
}

function resolveConversation(
  ex: Exchange,
  state: SimState,
  project: Project,
  sessionId: string,
): StoredConversation | undefined {
  const found = state.conversations.get(project.id, safeDecode(sessionId));
  if (!found) sendError(ex.res, ex.url, 404, MESSAGES.conversationNotFound(sessionId));
  return found;
}

/** The project and conversation a path names; a 404 already sent if either is unknown. */
function findConversation(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
): { project: Project; stored: StoredConversation } | undefined {
  const project = resolveProject(ex, state, projectRaw);
  if (!project) return undefined;
  const stored = resolveConversation(ex, state, project, sessionId);
  return stored ? { project, stored } : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const listUrl = (state: SimState, path: string) => state.baseUrl + path;

export function getUser(ex: Exchange, state: SimState): void {
  sendJson(ex.res, 200, success(state.catalog.user));
}

export function getLimits(ex: Exchange, state: SimState): void {
  sendJson(ex.res, 200, success(state.catalog.limits(state.queries)));
}

export function listProjects(ex: Exchange, state: SimState): void {
  // "sorted by creation date, with the most recent agents appearing first" unless order=asc.
  const projects = ordered(state.catalog.projects, ex.query.order, (p) => p.id);
  const page = paginate(
    projects,
    parsePage(ex.query.page),
    state.opts.perPage,
    listUrl(state, ex.path),
  );
  sendJson(ex.res, 200, success(page));
}

export function getProject(ex: Exchange, state: SimState, projectRaw: string): void {
  const project = resolveProject(ex, state, projectRaw);
  if (project) sendJson(ex.res, 200, success(project));
}

export function getSettings(ex: Exchange, state: SimState, projectRaw: string): void {
  const project = resolveProject(ex, state, projectRaw);
  if (project) sendJson(ex.res, 200, success(state.catalog.settings(project.id)));
}

export function listConversations(ex: Exchange, state: SimState, projectRaw: string): void {
  const project = resolveProject(ex, state, projectRaw);
  if (!project) return;
  const all = ordered(state.conversations.list(project.id), ex.query.order, (c) => c.id);
  const page = paginate(
    all,
    parsePage(ex.query.page),
    CONVERSATIONS_PER_PAGE,
    listUrl(state, ex.path),
  );
  sendJson(ex.res, 200, success(page));
}

export function createConversation(ex: Exchange, state: SimState, projectRaw: string): void {
  const project = resolveProject(ex, state, projectRaw);
  if (!project) return;
  const name = isRecord(ex.body) ? ex.body.name : undefined;
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.length > 255)) {
    sendError(ex.res, ex.url, 400, 'The name must be a string of at most 255 characters.');
    return;
  }
  const stored = state.conversations.create(
    project.id,
    typeof name === 'string' && name ? name : undefined,
  );
  sendJson(ex.res, 201, success(stored.conversation));
}

/** DELETE /projects/{id}/conversations/{sessionId}: `{deleted: true}` or the 404 envelope. */
export function deleteConversation(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
): void {
  const project = resolveProject(ex, state, projectRaw);
  if (!project) return;
  if (!resolveConversation(ex, state, project, sessionId)) return;
  state.conversations.delete(project.id, safeDecode(sessionId));
  sendJson(ex.res, 200, success({ deleted: true }));
}

/** PUT /projects/{id}/conversations/{sessionId} {name}: renames it, answers the conversation. */
export function renameConversation(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
): void {
  const found = findConversation(ex, state, projectRaw, sessionId);
  if (!found) return;
  const { stored } = found;
  const name = isRecord(ex.body) ? ex.body.name : undefined;
  if (typeof name !== 'string' || name === '' || name.length > 255) {
    sendError(ex.res, ex.url, 400, 'The name must be a string of at most 255 characters.');
    return;
  }
  stored.conversation.name = name;
  sendJson(ex.res, 200, success(stored.conversation));
}

export function listMessages(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
): void {
  const found = findConversation(ex, state, projectRaw, sessionId);
  if (!found) return;
  const { stored } = found;
  const messages = ordered(stored.messages, ex.query.order, (m) => m.id);
  const page = paginate(
    messages,
    parsePage(ex.query.page),
    MESSAGES_PER_PAGE,
    listUrl(state, ex.path),
  );
  sendJson(ex.res, 200, success({ conversation: stored.conversation, messages: page }));
}

/** The stored conversation and message a message path names; a 404 already sent if none. */
function findMessage(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
  promptRaw: string,
) {
  const found = findConversation(ex, state, projectRaw, sessionId);
  if (!found) return undefined;
  const { project, stored } = found;
  const message = stored.messages.find((m) => String(m.id) === promptRaw);
  if (!message) {
    sendError(ex.res, ex.url, 404, MESSAGES.messageNotFound(promptRaw));
    return undefined;
  }
  return { project, stored, message };
}

export function getMessage(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
  promptRaw: string,
): void {
  const found = findMessage(ex, state, projectRaw, sessionId, promptRaw);
  if (found) sendJson(ex.res, 200, success(found.message));
}

/** PUT .../messages/{promptId}/feedback {reaction}: stores it on the message and records it. */
export function giveFeedback(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
  promptRaw: string,
): void {
  const found = findMessage(ex, state, projectRaw, sessionId, promptRaw);
  if (!found) return;
  const { project, stored, message } = found;
  const reaction = isRecord(ex.body) ? ex.body.reaction : undefined;
  if (!(REACTIONS as readonly unknown[]).includes(reaction)) {
    sendError(ex.res, ex.url, 400, 'The selected reaction is invalid.');
    return;
  }
  const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  message.response_feedback = {
    created_at: message.response_feedback?.created_at ?? now,
    updated_at: now,
    user_id: state.catalog.user.id,
    reaction: reaction as Reaction,
  };
  message.updated_at = laravelTimestamp(new Date());
  state.recorder.feedbackGiven({
    projectId: project.id,
    sessionId: stored.conversation.session_id,
    promptId: message.id,
    reaction: reaction as Reaction,
    at: Date.now(),
  });
  sendJson(ex.res, 200, success(message));
}

export function getCitation(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  citationRaw: string,
): void {
  const project = resolveProject(ex, state, projectRaw);
  if (!project) return;
  const citation = /^\d+$/.test(citationRaw)
    ? state.citations.page(Number(citationRaw))
    : undefined;
  if (citation) sendJson(ex.res, 200, success(citation));
  else sendError(ex.res, ex.url, 404, MESSAGES.pageNotFound(citationRaw));
}

/** Why a message body is refused (400), or undefined when it is acceptable. */
export function messageBodyProblem(body: Record<string, unknown>): string | undefined {
  const { prompt, custom_persona, chatbot_model, response_source } = body;
  if (typeof prompt !== 'string' || prompt.trim() === '') return 'The prompt field is required.';
  if (custom_persona != null && typeof custom_persona !== 'string')
    return 'The custom persona must be a string.';
  if (chatbot_model != null && !(CHATBOT_MODELS as readonly unknown[]).includes(chatbot_model)) {
    return 'The selected chatbot model is invalid.';
  }
  if (
    response_source != null &&
    !(RESPONSE_SOURCES as readonly unknown[]).includes(response_source)
  ) {
    return 'The selected response source is invalid.';
  }
  return undefined;
}

export function requestMetadata(ex: Exchange, externalId: unknown) {
  return {
    user_ip: ex.req.socket.remoteAddress ?? '127.0.0.1',
    user_agent: String(ex.req.headers['user-agent'] ?? ''),
    ...(typeof externalId === 'string' && externalId ? { external_id: externalId } : {}),
    request_source: 'api',
  };
}

export async function sendMessage(
  ex: Exchange,
  state: SimState,
  projectRaw: string,
  sessionId: string,
): Promise<void> {
  const found = findConversation(ex, state, projectRaw, sessionId);
  if (!found) return;
  const { stored } = found;
  const body = isRecord(ex.body) ? ex.body : {};
  const problem = messageBodyProblem(body);
  if (problem) {
    sendError(ex.res, ex.url, 400, problem);
    return;
  }
  const prompt = body.prompt as string;
  const answer = answerFor(prompt);
  state.queries++;
  const message = state.conversations.addMessage(stored, {
    query: prompt,
    response: answer.text,
    citations: answer.citationIds,
    metadata: requestMetadata(ex, ex.query.external_id),
  });
  // The documented switch is the `stream` query parameter; the cookbook also sends it in the body.
  if (!truthy(ex.query.stream) && !truthy(body.stream)) {
    sendAnswerJson(ex.res, success(message), state.faults.takeStreamFault(ex.req.url ?? ex.path));
    return;
  }
  const events = nativeEvents({
    prompt,
    text: answer.text,
    promptId: message.id,
    sessionId: stored.conversation.session_id,
    citationIds: answer.citationIds,
    chunkSize: state.opts.chunkSize,
  });
  await streamEvents(
    ex.res,
    events,
    {
      format: state.opts.format,
      delayMs: state.opts.chunkDelayMs,
      fault: state.faults.takeStreamFault(ex.req.url ?? ex.path),
    },
    state.recorder,
    ex.path,
  );
}
