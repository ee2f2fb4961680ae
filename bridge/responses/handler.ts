// One Responses API request end to end (POST /v1/responses): parse (request.ts), pick the
// project and conversation, ask the shared upstream backend, frame (frames.ts) and write.
// The same backend as chat completions, so conversation handling, citations, errors and
// timeouts behave alike; errors before the stream commits keep their HTTP status, later ones
// end the stream with `response.failed`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientName, refuse, runAnswer, warnDropped } from '../answer/lifecycle';
import { readAnswer } from '../answer/reader';
import { responseAnnotations } from '../chat/annotations';
import type { ChatDeps } from '../chat/handler';
import type { ChatTurn } from '../chat/request';
import { sendJson } from '../chat/respond';
import { KeepAlive } from '../http/keep-alive';
import { BridgeError, badRequest } from '../http/openai-error';
import { asModelError } from '../models/errors';
import { projectOfModel } from '../models/ids';
import { SESSION_HEADER } from '../protocol';
import type { AnswerStream } from '../upstream/backend';
import { FALLBACK_MODEL } from '../upstream/projects';
import {
  incompleteReasonOf,
  newResponseHead,
  ResponseEvents,
  responseFailure,
  responseObject,
} from './frames';
import type { ResponseMemory } from './memory';
import { parseResponsesRequest, type ResponsesRequest } from './request';

export interface ResponsesDeps {
  chat: ChatDeps;
  memory: ResponseMemory;
}

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
    warnDropped(chat.log, client, request.dropped);
    target = targetOf(deps, request);
  } catch (err) {
    refuse(chat, res, client, started, err);
    return;
  }
  let ctx: Ctx | undefined;
  await runAnswer(chat, res, {
    client,
    stream: request.stream,
    started,
    run: (signal) => {
      ctx = { deps, request, target, res, signal, events: undefined };
      return request.stream ? streamResponse(ctx) : completeResponse(ctx);
    },
    mapError: (e) => inResponsesTerms(e, request, target),
    endStream: (e, message) => {
      // A stream committed by a keep-alive before the answer began has no events yet.
      const events =
        ctx?.events ??
        new ResponseEvents(
          newResponseHead(FALLBACK_MODEL, request.instructions, request.previousResponseId),
        );
      res.end(events.failed(responseFailure(e, message)));
    },
  });
}

interface Target {
  project: string;
  /** The conversation to continue (previous_response_id), if any. */
  sessionId: string | undefined;
  turns: ChatTurn[];
  /** The project is the one `model` names (customgpt-<projectId>). */
  fromModel: boolean;
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
    return {
      project: thread.project,
      sessionId: thread.sessionId,
      turns: continuing(request),
      fromModel: false,
    };
  }
  const modelProject = projectOfModel(request.model);
  const project = modelProject ?? deps.chat.project;
  if (!project) {
    throw badRequest(
      'No CustomGPT.ai project is selected: start the bridge with --project ID (or ' +
        "CUSTOMGPT_PROJECT_ID), name one as the model ('customgpt-<projectId>', see GET " +
        "/v1/models), or run 'CustomGPT: Select Project' in VS Code.",
      'model',
      'project_missing',
    );
  }
  return {
    project,
    sessionId: undefined,
    turns: request.turns,
    fromModel: modelProject !== undefined,
  };
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
  const read = await readAnswer(chat, ctx.target.project, answer);
  const { text } = read;
  const annotations = responseAnnotations(read.spans);
  const incomplete = incompleteReasonOf(read.finishReason);
  const head = newResponseHead(
    await model,
    ctx.request.instructions,
    ctx.request.previousResponseId,
  );
  remember(ctx, head.id, answer, text);
  sendJson(
    ctx.res,
    200,
    incomplete === null
      ? responseObject(head, 'completed', text, annotations)
      : responseObject(head, 'incomplete', text, annotations, null, incomplete),
    answer.sessionId ? { [SESSION_HEADER]: answer.sessionId } : {},
  );
  chat.activity.chars(text.length);
  return text.length;
}

async function streamResponse(ctx: Ctx): Promise<number> {
  const { chat } = ctx.deps;
  const { res, signal } = ctx;
  const model = chat.projects.modelOrFallback(ctx.target.project);
  const keepAlive = new KeepAlive(res, signal, chat);
  try {
    const answer = await open(ctx, true, (id) => keepAlive.sessionKnown(id));
    const head = newResponseHead(
      await model,
      ctx.request.instructions,
      ctx.request.previousResponseId,
    );
    const events = new ResponseEvents(head);
    ctx.events = events;
    keepAlive.sessionKnown(answer.sessionId);
    keepAlive.commit();
    const write = (frame: string) => keepAlive.write(frame);
    await write(events.created() + events.inProgress() + events.itemAdded() + events.partAdded());
    const read = await readAnswer(chat, ctx.target.project, answer, async (delta) => {
      chat.activity.chars(delta.length);
      await write(events.delta(delta));
    });
    const { text } = read;
    const annotations = responseAnnotations(read.spans);
    const incomplete = incompleteReasonOf(read.finishReason);
    let tail = annotations.map((a, i) => events.annotation(i, a)).join('');
    tail += events.textDone(text) + events.partDone(text, annotations);
    tail += events.itemDone(text, annotations, incomplete);
    tail += events.completed(text, annotations, incomplete);
    await write(tail);
    res.end();
    remember(ctx, head.id, answer, text);
    return text.length;
  } finally {
    keepAlive.stop();
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

/**
 * An error in the Responses API's terms: the project `model` named is a model not found, a
 * conversation the upstream forgot is a previous response not found, and what chat calls
 * `messages` is `input` here.
 */
function inResponsesTerms(err: BridgeError, request: ResponsesRequest, target: Target) {
  const e = target.fromModel
    ? asModelError(err, String(request.model))
    : previousGone(err, request);
  if (e.param !== 'messages') return e;
  return new BridgeError(e.status, e.message, e.type, e.code, 'input', e.headers);
}

/** The upstream forgot a continued conversation: say so in terms of previous_response_id. */
function previousGone(err: BridgeError, request: ResponsesRequest): BridgeError {
  if (err.code !== 'session_not_found' || request.previousResponseId === null) return err;
  return previousNotFound(request.previousResponseId);
}
