// One chat-completions request end to end: seed rules, then the upstream answer relayed as a
// `chat.completion` or as SSE chunks. Errors before the stream commits get their HTTP status;
// errors after it become an SSE `error` event and a clean end.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActivityHub, EndDetail } from '../activity';
import type { CitationStyle } from '../config';
import { drained } from '../http/drained';
import { asBridgeError, BridgeError, badRequest } from '../http/openai-error';
import type { Logger } from '../log';
import { projectOfModel } from '../models/ids';
import { PROMPT_ID_HEADER, SESSION_HEADER } from '../protocol';
import type { Backend } from '../upstream/backend';
import type { CitationResolver } from '../upstream/citations';
import type { ProjectDirectory } from '../upstream/projects';
import { chatAnnotations, citationSpans } from './annotations';
import {
  ChunkFrames,
  type Citation,
  completionBody,
  DONE_FRAME,
  errorFrame,
  type FinishReason,
  newHead,
  PING_FRAME,
  sourcesMarkdown,
} from './completion';
import { type ChatRequest, parseChatRequest, type UnsupportedPolicy } from './request';
import { SSE_HEADERS, sendError, sendJson } from './respond';
import { estimateUsage } from './usage';

export interface ChatDeps {
  backend: Backend;
  projects: ProjectDirectory;
  citations: CitationResolver;
  activity: ActivityHub;
  log: Logger;
  redact: (text: string) => string;
  project: string | undefined;
  onUnsupported: UnsupportedPolicy;
  citationStyle: CitationStyle;
  pingIntervalMs: number;
  /** Native mode resolves citations; compat mode has none. */
  resolvesCitations: boolean;
  /** Aborted when shutdown's grace period ends: open requests end with an error, not a cut. */
  shutdown: AbortSignal;
}

/** Why a request still open at the end of the shutdown grace period was ended. */
export const STOPPING = new BridgeError(
  503,
  'The bridge is shutting down and could not finish this answer in time. Retry in a moment.',
  'server_error',
  'bridge_stopping',
);

const warnedClients = new Set<string>();

export async function handleChat(
  deps: ChatDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  pathProject: string | undefined,
): Promise<void> {
  const started = Date.now();
  const client = clientName(req);
  let chat: ChatRequest;
  try {
    chat = parseChatRequest(body, deps.onUnsupported);
    if (chat.dropped.length > 0 && !warnedClients.has(client)) {
      if (warnedClients.size >= 256) warnedClients.clear(); // bounded: one entry per User-Agent
      warnedClients.add(client);
      deps.log.warn('dropping unsupported parameters (--on-unsupported ignore)', {
        client,
        dropped: chat.dropped,
      });
    }
  } catch (err) {
    const e = asBridgeError(err);
    sendError(res, e, deps.redact);
    // Recorded too: a tool that always sends `tools` must not fail silently in the editor.
    deps.activity.rejected(client, e.status, Date.now() - started, deps.redact(e.message), e);
    return;
  }
  // The path's project, else the project the `model` names (customgpt-<id>), else the default.
  const project =
    pathProject ?? projectOfModel((body as { model?: unknown }).model) ?? deps.project;
  const id = deps.activity.start(client, chat.stream);
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort(new Error('client went away'));
  };
  res.on('close', onClose);
  const onShutdown = () => abort.abort(STOPPING);
  deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  let status = 200;
  let chars = 0;
  let error: string | undefined;
  let detail: EndDetail = {};
  try {
    if (!project) {
      throw badRequest(
        'No CustomGPT.ai project is selected: start the bridge with --project ID (or ' +
          "CUSTOMGPT_PROJECT_ID), call /api/v1/projects/{id}/chat/completions, or run 'CustomGPT: " +
          "Select Project' in VS Code.",
        null,
        'project_missing',
      );
    }
    const sessionHeader = req.headers[SESSION_HEADER];
    const ctx: AnswerContext = {
      deps,
      chat,
      project,
      res,
      signal: abort.signal,
      sessionId:
        typeof sessionHeader === 'string' && sessionHeader !== '' ? sessionHeader : undefined,
    };
    chars = chat.stream ? await streamAnswer(ctx) : await completeAnswer(ctx);
  } catch (err) {
    if (abort.signal.aborted && abort.signal.reason !== STOPPING) {
      status = 499; // nginx's "client closed request", for the activity log only
    } else {
      const e = abort.signal.aborted ? STOPPING : asBridgeError(err);
      status = e.status;
      error = deps.redact(e.message);
      detail = e;
      if (e.status >= 500) deps.log.warn('chat request failed', { status, error, client });
      if (!res.headersSent) sendError(res, e, deps.redact);
      else endWithError(res, e, deps.redact);
    }
  } finally {
    res.off('close', onClose);
    deps.shutdown.removeEventListener('abort', onShutdown);
    deps.activity.end(id, client, chat.stream, status, Date.now() - started, chars, error, detail);
  }
}

interface AnswerContext {
  deps: ChatDeps;
  chat: ChatRequest;
  project: string;
  res: ServerResponse;
  signal: AbortSignal;
  sessionId: string | undefined;
}

async function completeAnswer(ctx: AnswerContext): Promise<number> {
  const { deps, chat, project, res, signal } = ctx;
  const model = deps.projects.modelOrFallback(project);
  const answer = await deps.backend.open({
    project,
    turns: chat.turns,
    sessionId: ctx.sessionId,
    signal,
    stream: false,
  });
  let text = '';
  let citations: Citation[] | undefined;
  let finishReason: FinishReason = 'stop';
  let promptId: number | undefined;
  for await (const ev of answer.events) {
    if (ev.kind === 'delta') text += ev.text;
    else if (ev.kind === 'error') throw midAnswerError(ev.message);
    else if (ev.kind === 'finish') {
      finishReason = ev.reason ?? 'stop';
      promptId = ev.promptId;
      citations = await resolveCitations(deps, project, ev.citationIds);
    }
  }
  const answerEnd = text.length;
  if (citations && deps.citationStyle === 'append') text += sourcesMarkdown(citations);
  const spans = citationSpans(text, citations, text.length > answerEnd ? answerEnd : undefined);
  const head = newHead(await model);
  answer.answered(text);
  const headers: Record<string, string> = {};
  if (answer.sessionId) headers[SESSION_HEADER] = answer.sessionId;
  if (promptId !== undefined) headers[PROMPT_ID_HEADER] = String(promptId);
  sendJson(
    res,
    200,
    completionBody(head, text, citations, finishReason, chatAnnotations(spans)),
    headers,
  );
  deps.activity.chars(text.length);
  return text.length;
}

async function streamAnswer(ctx: AnswerContext): Promise<number> {
  const { deps, chat, project, res, signal } = ctx;
  const model = deps.projects.modelOrFallback(project);
  // Keep-alive: until the upstream answers, the HTTP status is still open (so a fast upstream
  // error keeps its status); once the client has seen nothing for a whole ping interval, commit
  // 200 and ping. The timer is re-armed by every write, so silence never lasts two intervals.
  // The session is known before the answer starts (native mode), and a stream committed early
  // by a ping must carry its x-customgpt-session-id header: while the conversation is still
  // being opened, a due ping waits for it and goes out the moment the session is known.
  let session: string | null = null;
  let pingDue = false;
  const commit = () => {
    if (res.headersSent) return;
    // No flushHeaders(): a frame is always written right after, and goes out with the headers.
    res.writeHead(200, session ? { ...SSE_HEADERS, [SESSION_HEADER]: session } : SSE_HEADERS);
  };
  const ping = () => {
    if (res.destroyed || res.writableEnded) return;
    if (!res.headersSent && deps.backend.opensSessions && session === null) {
      pingDue = true;
      return;
    }
    pingDue = false;
    try {
      commit();
      res.write(PING_FRAME);
      keepAlive.refresh();
    } catch (err) {
      // A throw inside a timer would take the whole process down: end this stream instead.
      deps.log.error('keep-alive failed', { err });
      res.destroy();
    }
  };
  const keepAlive = setTimeout(ping, deps.pingIntervalMs);
  try {
    const answer = await deps.backend.open({
      project,
      turns: chat.turns,
      sessionId: ctx.sessionId,
      signal,
      stream: true,
      onSession: (id) => {
        session = id;
        if (pingDue) ping();
      },
    });
    const frames = new ChunkFrames(newHead(await model));
    session = answer.sessionId;
    commit();
    const write = async (frame: string) => {
      // The client may have left while the model or the citations were looked up.
      if (signal.aborted) throw signal.reason;
      keepAlive.refresh();
      if (!res.write(frame)) await drained(res);
    };
    await write(frames.role());
    let text = '';
    let citations: Citation[] | undefined;
    let finishReason: FinishReason = 'stop';
    let promptId: number | undefined;
    for await (const ev of answer.events) {
      if (ev.kind === 'delta') {
        text += ev.text;
        deps.activity.chars(ev.text.length);
        await write(frames.content(ev.text));
        if (signal.aborted) throw signal.reason;
      } else if (ev.kind === 'error') {
        throw midAnswerError(ev.message);
      } else if (ev.kind === 'finish') {
        finishReason = ev.reason ?? 'stop';
        promptId = ev.promptId;
        citations = await resolveCitations(deps, project, ev.citationIds);
      }
    }
    const answerEnd = text.length;
    if (citations && citations.length > 0 && deps.citationStyle === 'append') {
      const sources = sourcesMarkdown(citations);
      text += sources;
      await write(frames.content(sources));
    }
    const spans = citationSpans(text, citations, text.length > answerEnd ? answerEnd : undefined);
    await write(frames.finish(finishReason, citations, chatAnnotations(spans), promptId));
    if (chat.includeUsage) await write(frames.usage(await estimateUsage(chat.turns, text)));
    res.end(DONE_FRAME);
    answer.answered(text);
    return text.length;
  } finally {
    clearTimeout(keepAlive);
  }
}

export function resolveCitations(
  deps: ChatDeps,
  project: string,
  ids: number[],
): Promise<Citation[] | undefined> {
  if (!deps.resolvesCitations) return Promise.resolve(undefined);
  return deps.citations.resolve(project, ids);
}

export function midAnswerError(message: string): BridgeError {
  return new BridgeError(502, message, 'server_error', 'upstream_stream_error');
}

function endWithError(res: ServerResponse, err: BridgeError, redact: (s: string) => string): void {
  if (res.destroyed || res.writableEnded) return;
  res.end(errorFrame({ message: redact(err.message), type: err.type, code: err.code }));
}

/** The client's product token from its User-Agent ("OpenAI/JS 7.59.0"), for the activity log. */
export function clientName(req: IncomingMessage): string {
  const ua = req.headers['user-agent'];
  if (!ua) return 'unknown';
  return ua.split(' (')[0]!.slice(0, 60);
}
