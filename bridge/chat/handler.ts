// One chat-completions request end to end: seed rules, then the upstream answer relayed as a
// `chat.completion` or as SSE chunks. Errors before the stream commits get their HTTP status;
// errors after it become an SSE `error` event and a clean end.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActivityHub } from '../activity';
import { clientName, refuse, runAnswer, warnDropped } from '../answer/lifecycle';
import { readAnswer } from '../answer/reader';
import type { CitationStyle } from '../config';
import { KeepAlive } from '../http/keep-alive';
import { badRequest } from '../http/openai-error';
import type { Logger } from '../log';
import { asModelError } from '../models/errors';
import { projectOfModel } from '../models/ids';
import { PROMPT_ID_HEADER, SESSION_HEADER } from '../protocol';
import type { Backend } from '../upstream/backend';
import type { CitationResolver } from '../upstream/citations';
import type { ProjectDirectory } from '../upstream/projects';
import { chatAnnotations } from './annotations';
import { ChunkFrames, completionBody, DONE_FRAME, errorFrame, newHead } from './completion';
import { type ChatRequest, parseChatRequest, type UnsupportedPolicy } from './request';
import { sendJson } from './respond';
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
    warnDropped(deps.log, client, chat.dropped);
  } catch (err) {
    refuse(deps, res, client, started, err);
    return;
  }
  // The path's project, else the project the `model` names (customgpt-<id>), else the default.
  const model = (body as { model?: unknown }).model;
  const modelProject = pathProject === undefined ? projectOfModel(model) : undefined;
  const project = pathProject ?? modelProject ?? deps.project;
  const sessionHeader = req.headers[SESSION_HEADER];
  const sessionId =
    typeof sessionHeader === 'string' && sessionHeader !== '' ? sessionHeader : undefined;
  await runAnswer(deps, res, {
    client,
    stream: chat.stream,
    started,
    run: (signal) => {
      if (!project) {
        throw badRequest(
          'No CustomGPT.ai project is selected: start the bridge with --project ID (or ' +
            "CUSTOMGPT_PROJECT_ID), call /api/v1/projects/{id}/chat/completions, or run 'CustomGPT: " +
            "Select Project' in VS Code.",
          null,
          'project_missing',
        );
      }
      const ctx: AnswerContext = { deps, chat, project, res, signal, sessionId };
      return chat.stream ? streamAnswer(ctx) : completeAnswer(ctx);
    },
    mapError: (e) => (modelProject === undefined ? e : asModelError(e, String(model))),
    endStream: (e, message) => res.end(errorFrame({ message, type: e.type, code: e.code })),
  });
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
  const { text, citations, finishReason, spans, promptId } = await readAnswer(
    deps,
    project,
    answer,
  );
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
  const keepAlive = new KeepAlive(res, signal, deps);
  try {
    const answer = await deps.backend.open({
      project,
      turns: chat.turns,
      sessionId: ctx.sessionId,
      signal,
      stream: true,
      onSession: (id) => keepAlive.sessionKnown(id),
    });
    const frames = new ChunkFrames(newHead(await model));
    keepAlive.sessionKnown(answer.sessionId);
    keepAlive.commit();
    const write = (frame: string) => keepAlive.write(frame);
    await write(frames.role());
    const { text, citations, finishReason, spans, promptId } = await readAnswer(
      deps,
      project,
      answer,
      async (piece) => {
        deps.activity.chars(piece.length);
        await write(frames.content(piece));
        if (signal.aborted) throw signal.reason;
      },
    );
    await write(frames.finish(finishReason, citations, chatAnnotations(spans), promptId));
    if (chat.includeUsage) await write(frames.usage(await estimateUsage(chat.turns, text)));
    res.end(DONE_FRAME);
    answer.answered(text);
    return text.length;
  } finally {
    keepAlive.stop();
  }
}
