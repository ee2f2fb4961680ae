// One Responses API request end to end (POST /v1/responses): parse (request.ts), pick the
// project and conversation, ask the shared upstream backend, frame (frames.ts) and write.
// The same backend as chat completions, so conversation handling, citations, errors and
// timeouts behave alike; errors before the stream commits keep their HTTP status, later ones
// end the stream with `response.failed`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { citationSpans, responseAnnotations } from '../chat/annotations';
import { type Citation, PING_FRAME, sourcesMarkdown } from '../chat/completion';
import {
  type ChatDeps,
  clientName,
  midAnswerError,
  resolveCitations,
  STOPPING,
} from '../chat/handler';
import type { ChatTurn } from '../chat/request';
import { SSE_HEADERS, sendError, sendJson } from '../chat/respond';
import { drained } from '../http/drained';
import { asBridgeError, BridgeError, badRequest } from '../http/openai-error';
import { projectOfModel } from '../models/ids';
import { SESSION_HEADER } from '../protocol';
import type { AnswerStream } from '../upstream/backend';
import { FALLBACK_MODEL } from '../upstream/projects';
import { newResponseHead, ResponseEvents, responseObject } from './frames';
import type { ResponseMemory } from './memory';
import { parseResponsesRequest, type ResponsesRequest } from './request';

export interface ResponsesDeps {
  chat: ChatDeps;
  memory: ResponseMemory;
}

const warnedClients = new Set<string>();

export async function handleResponses(
  deps: ResponsesDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const { chat } = deps;
  const started = Date.now();
  const client = clientName(req);
  let request: ResponsesRequest;
  let target: Target;
  try {
    request = parseResponsesRequest(body, chat.onUnsupported);
    if (request.dropped.length > 0 && !warnedClients.has(client)) {
      if (warnedClients.size >= 256) warnedClients.clear();
      warnedClients.add(client);
      chat.log.warn('dropping unsupported parameters (--on-unsupported ignore)', {
        client,
        dropped: request.dropped,
      });
    }
    target = targetOf(deps, request);
  } catch (err) {
    sendError(res, asBridgeError(err), chat.redact);
    return;
  }
  const id = chat.activity.start(client, request.stream);
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort(new Error('client went away'));
  };
  res.on('close', onClose);
  const onShutdown = () => abort.abort(STOPPING);
  chat.shutdown.addEventListener('abort', onShutdown, { once: true });
  let status = 200;
  let chars = 0;
  let error: string | undefined;
  const ctx: Ctx = { deps, request, target, res, signal: abort.signal, events: undefined };
  try {
    chars = request.stream ? await streamResponse(ctx) : await completeResponse(ctx);
  } catch (err) {
    if (abort.signal.aborted && abort.signal.reason !== STOPPING) {
      status = 499;
    } else {
      const e = abort.signal.aborted ? STOPPING : previousGone(asBridgeError(err), request);
      status = e.status;
      error = chat.redact(e.message);
      if (e.status >= 500) chat.log.warn('responses request failed', { status, error, client });
      if (!res.headersSent) sendError(res, e, chat.redact);
      else if (!res.destroyed && !res.writableEnded) {
        // A stream committed by a keep-alive before the answer began has no events yet.
        const events =
          ctx.events ??
          new ResponseEvents(
            newResponseHead(FALLBACK_MODEL, request.instructions, request.previousResponseId),
          );
        res.end(events.failed({ code: e.code ?? e.type, message: error }));
      }
    }
  } finally {
    res.off('close', onClose);
    chat.shutdown.removeEventListener('abort', onShutdown);
    chat.activity.end(id, client, request.stream, status, Date.now() - started, chars, error);
  }
}

interface Target {
  project: string;
  /** The conversation to continue (previous_response_id), if any. */
  sessionId: string | undefined;
  turns: ChatTurn[];
}

interface Ctx {
  deps: ResponsesDeps;
  request: ResponsesRequest;
  target: Target;
  res: ServerResponse;
  signal: AbortSignal;
  /** Set once a stream has begun, so a failure can be framed as `response.failed`. */
  events: ResponseEvents | undefined;
}

/**
 * Which project and conversation answer. A previous response's conversation continues in its
 * project (whatever `model` says: the conversation lives there); otherwise the project `model`
 * names, else the default project.
 */
function targetOf(deps: ResponsesDeps, request: ResponsesRequest): Target {
  const previous = request.previousResponseId;
  if (previous !== null) {
    const thread = deps.memory.thread(previous);
    if (!thread) throw previousNotFound(previous);
    return { project: thread.project, sessionId: thread.sessionId, turns: continuing(request) };
  }
  const project = projectOfModel(request.model) ?? deps.chat.project;
  if (!project) {
    throw badRequest(
      'No CustomGPT.ai project is selected: start the bridge with --project ID (or ' +
        "CUSTOMGPT_PROJECT_ID), name one as the model ('customgpt-<projectId>', see GET " +
        "/v1/models), or run 'CustomGPT: Select Project' in VS Code.",
      'model',
      'project_missing',
    );
  }
  return { project, sessionId: undefined, turns: request.turns };
}

/**
 * The turns of a continued conversation: the upstream already holds the earlier ones, and a
 * continued conversation is asked one prompt, so the new input's messages become one question.
 */
function continuing(request: ResponsesRequest): ChatTurn[] {
  const persona = request.turns.filter((t) => t.role === 'system' || t.role === 'developer');
  const said = request.turns.filter((t) => t.role === 'user' || t.role === 'assistant');
  return [...persona, { role: 'user', text: said.map((t) => t.text).join('\n\n') }];
}

interface Answer {
  text: string;
  annotations: ReturnType<typeof responseAnnotations>;
}

/** Reads the upstream answer; `onDelta` sees each text delta as it arrives. */
async function readAnswer(
  ctx: Ctx,
  answer: AnswerStream,
  onDelta: (text: string) => Promise<void>,
): Promise<Answer> {
  const { chat } = ctx.deps;
  let text = '';
  let citations: Citation[] | undefined;
  for await (const ev of answer.events) {
    if (ev.kind === 'delta') {
      text += ev.text;
      await onDelta(ev.text);
    } else if (ev.kind === 'error') {
      throw midAnswerError(ev.message);
    } else if (ev.kind === 'finish') {
      citations = await resolveCitations(chat, ctx.target.project, ev.citationIds);
    }
  }
  const answerEnd = text.length;
  if (citations && citations.length > 0 && chat.citationStyle === 'append') {
    const sources = sourcesMarkdown(citations);
    text += sources;
    await onDelta(sources);
  }
  const spans = citationSpans(text, citations, text.length > answerEnd ? answerEnd : undefined);
  return { text, annotations: responseAnnotations(spans) };
}

function open(ctx: Ctx, stream: boolean, onSession?: (id: string) => void) {
  const { project, sessionId, turns } = ctx.target;
  return ctx.deps.chat.backend.open({
    project,
    turns,
    sessionId,
    signal: ctx.signal,
    stream,
    ...(onSession ? { onSession } : {}),
  });
}

/** Remembers the response's conversation for a later previous_response_id. */
function remember(ctx: Ctx, responseId: string, answer: AnswerStream, text: string): void {
  answer.answered(text);
  if (answer.sessionId) {
    ctx.deps.memory.remember(responseId, {
      project: ctx.target.project,
      sessionId: answer.sessionId,
    });
  }
}

async function completeResponse(ctx: Ctx): Promise<number> {
  const { chat } = ctx.deps;
  const model = chat.projects.modelOrFallback(ctx.target.project);
  const answer = await open(ctx, false);
  const { text, annotations } = await readAnswer(ctx, answer, async () => undefined);
  const head = newResponseHead(
    await model,
    ctx.request.instructions,
    ctx.request.previousResponseId,
  );
  remember(ctx, head.id, answer, text);
  sendJson(
    ctx.res,
    200,
    responseObject(head, 'completed', text, annotations),
    answer.sessionId ? { [SESSION_HEADER]: answer.sessionId } : {},
  );
  chat.activity.chars(text.length);
  return text.length;
}

async function streamResponse(ctx: Ctx): Promise<number> {
  const { chat } = ctx.deps;
  const { res, signal } = ctx;
  const model = chat.projects.modelOrFallback(ctx.target.project);
  // As in chat completions: the status stays open until the upstream answers, unless a ping
  // interval passes in silence first.
  let wrote = false;
  let session: string | null = null;
  const commit = () => {
    if (res.headersSent) return;
    res.writeHead(200, session ? { ...SSE_HEADERS, [SESSION_HEADER]: session } : SSE_HEADERS);
  };
  const pinger = setInterval(() => {
    if (res.destroyed) return;
    try {
      if (!wrote) {
        commit();
        res.write(PING_FRAME);
      }
    } catch (err) {
      chat.log.error('keep-alive failed', { err });
      res.destroy();
    }
    wrote = false;
  }, chat.pingIntervalMs);
  try {
    const answer = await open(ctx, true, (id) => {
      session = id;
    });
    const head = newResponseHead(
      await model,
      ctx.request.instructions,
      ctx.request.previousResponseId,
    );
    const events = new ResponseEvents(head);
    ctx.events = events;
    session = answer.sessionId;
    commit();
    const write = async (frame: string) => {
      if (signal.aborted) throw signal.reason;
      wrote = true;
      if (!res.write(frame)) await drained(res);
    };
    await write(events.created() + events.inProgress() + events.itemAdded() + events.partAdded());
    const { text, annotations } = await readAnswer(ctx, answer, async (delta) => {
      chat.activity.chars(delta.length);
      await write(events.delta(delta));
    });
    let tail = annotations.map((a, i) => events.annotation(i, a)).join('');
    tail += events.textDone(text) + events.partDone(text, annotations);
    tail += events.itemDone(text, annotations) + events.completed(text, annotations);
    await write(tail);
    res.end();
    remember(ctx, head.id, answer, text);
    return text.length;
  } finally {
    clearInterval(pinger);
  }
}

function previousNotFound(id: string): BridgeError {
  return new BridgeError(
    404,
    `Previous response with id '${id}' not found. The bridge remembers the conversation of its ` +
      'recent responses (native upstream mode only; the last 2000 by default, for 6 hours); ' +
      'send the whole conversation as input instead, or start a new one.',
    'invalid_request_error',
    'previous_response_not_found',
    'previous_response_id',
  );
}

/** The upstream forgot a continued conversation: say so in terms of previous_response_id. */
function previousGone(err: BridgeError, request: ResponsesRequest): BridgeError {
  if (err.code !== 'session_not_found' || request.previousResponseId === null) return err;
  return previousNotFound(request.previousResponseId);
}
