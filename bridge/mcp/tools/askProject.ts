// ask_project: one question to a CustomGPT.ai project through the shared backend (the same
// path as /v1/chat/completions: native conversations, citations, error mapping, timeouts).
// The answer comes back as text with its sources, as structured content, and each cited web
// page as a resource link; the conversation id lets the agent ask a follow-up in the same
// upstream conversation.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { STOPPING } from '../../answer/lifecycle';
import { type Citation, sourcesMarkdown } from '../../chat/completion';
import { BridgeError } from '../../http/openai-error';
import type { McpDeps } from '../deps';
import { type ProgressSink, progressReporter } from '../progress';
import { resolveProject } from '../projectRef';
import { toolError } from '../toolError';
import { z } from '../zod';
import type { ToolContext } from './context';

export const ASK_PROJECT = 'ask_project';

export const askProjectInput = {
  question: z
    .string()
    .trim()
    .min(1)
    .max(32_000)
    .describe(
      'The question, in plain language, as you would ask a colleague who knows the documents.',
    ),
  project: z
    .string()
    .max(200)
    .optional()
    .describe(
      'The project (agent) to ask: its numeric id or its exact name from list_projects. ' +
        'Default: the project the bridge was started with.',
    ),
  conversation_id: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/, 'a conversation_id returned by an earlier ask_project call')
    .optional()
    .describe(
      'Continue an earlier conversation: the conversation_id an earlier ask_project call ' +
        'returned (same project). Omit to start a new conversation.',
    ),
};

const citationShape = z.object({
  title: z.string().nullable().describe('The cited document title, when known.'),
  url: z.string().nullable().describe('The cited page URL (http or https), when known.'),
});

export const askProjectOutput = {
  answer: z.string().describe("The project's answer (Markdown), without the sources list."),
  project: z.string().describe('The id of the project that answered.'),
  conversation_id: z
    .string()
    .nullable()
    .describe('Pass as conversation_id to ask a follow-up in the same conversation.'),
  citations: z.array(citationShape).describe('The documents the answer is based on.'),
};

export const askProjectDescription =
  "Ask a CustomGPT.ai project (an agent trained on a team's own documents, sites and files) a " +
  'question and get its answer with the sources it is based on. Use it when the answer should ' +
  "come from that project's knowledge (product docs, internal guides, support articles) rather " +
  'than general knowledge. Returns the answer, its citations (title and URL) and a ' +
  'conversation_id to ask a follow-up in the same conversation. Each call uses one query ' +
  "credit of the user's CustomGPT.ai plan.";

export interface AskArgs {
  question: string;
  project?: string;
  conversation_id?: string;
}

/** What a finished answer becomes: text with sources and the continuation hint, structured content, links. */
export function askProjectResult(
  project: string,
  answer: string,
  citations: readonly Citation[],
  conversationId: string | null,
): CallToolResult {
  const cited = citations.map((c) => ({ title: c.title, url: c.url }));
  const links = citations.flatMap((c) =>
    c.url && /^https?:\/\//i.test(c.url)
      ? [
          {
            type: 'resource_link' as const,
            uri: c.url,
            name: c.title ?? c.url,
            ...(c.title ? { title: c.title } : {}),
          },
        ]
      : [],
  );
  const follow = conversationId
    ? `\n\n(conversation_id: ${conversationId}; pass it to ask_project to ask a follow-up)`
    : '';
  return {
    content: [{ type: 'text', text: answer + sourcesMarkdown(citations) + follow }, ...links],
    structuredContent: { answer, project, conversation_id: conversationId, citations: cited },
  };
}

export async function askProject(
  deps: McpDeps,
  args: AskArgs,
  ctx: ToolContext,
): Promise<CallToolResult> {
  const started = Date.now();
  const signal = deps.shutdown ? AbortSignal.any([ctx.signal, deps.shutdown]) : ctx.signal;
  const progress = progressReporter({ token: ctx.progressToken, send: ctx.notify });
  const activityId = deps.activity?.start(ctx.client, true);
  let status = 200;
  let chars = 0;
  let error: string | undefined;
  try {
    const project = await resolveProject(args.project, deps.project, deps.projects);
    progress.step(`Asking CustomGPT.ai project ${project}`);
    const result = await answer(deps, project, args, signal, progress);
    ctx.cited?.(project, result.citations);
    chars = result.chars;
    return result.result;
  } catch (err) {
    if (ctx.signal.aborted) {
      status = 499;
      throw err; // the client cancelled: the SDK sends nothing back
    }
    // Past the shutdown grace period the answer ends with the bridge's "stopping" error.
    const e = toolError(deps.shutdown?.aborted ? STOPPING : err, deps.redact);
    status = err instanceof BridgeError ? err.status : 400;
    error = (e.content[0] as { text: string }).text;
    if (status >= 500) deps.log.warn('ask_project failed', { status, error, client: ctx.client });
    return e;
  } finally {
    progress.stop();
    if (activityId) {
      deps.activity?.end(activityId, ctx.client, true, status, Date.now() - started, chars, error);
    }
  }
}

async function answer(
  deps: McpDeps,
  project: string,
  args: AskArgs,
  signal: AbortSignal,
  progress: ProgressSink,
): Promise<{ result: CallToolResult; chars: number; citations: Citation[] }> {
  const stream = await deps.backend.open({
    project,
    turns: [{ role: 'user', text: args.question }],
    sessionId: deps.native ? args.conversation_id : undefined,
    signal,
    stream: true,
  });
  let text = '';
  let citationIds: number[] = [];
  for await (const ev of stream.events) {
    if (signal.aborted) throw signal.reason;
    if (ev.kind === 'delta') {
      text += ev.text;
      progress.chars(ev.text.length);
      deps.activity?.chars(ev.text.length);
    } else if (ev.kind === 'error') {
      throw new BridgeError(502, ev.message, 'server_error', 'upstream_stream_error');
    } else if (ev.kind === 'finish') {
      citationIds = ev.citationIds;
    }
  }
  if (signal.aborted) throw signal.reason;
  const citations =
    deps.native && citationIds.length > 0 ? await deps.citations.resolve(project, citationIds) : [];
  stream.answered(text);
  return {
    result: askProjectResult(project, text, citations, deps.native ? stream.sessionId : null),
    chars: text.length,
    citations,
  };
}
