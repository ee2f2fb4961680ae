// Message feedback (thumbs up/down) as CustomGPT.ai's own path names it:
//   PUT /api/v1/projects/{projectId}/conversations/{sessionId}/messages/{promptId}/feedback
//   body {"reaction": "liked" | "disliked" | "neutral"}
// Pure parsing and validation; the ids go into an upstream path, so only well-formed ones pass.
import { badRequest } from '../http/openai-error';
import { FEEDBACK_REACTIONS, type FeedbackReaction } from '../protocol';

export const FEEDBACK_PATH =
  /^\/api\/v1\/projects\/([A-Za-z0-9_-]{1,64})\/conversations\/([A-Za-z0-9-]{1,100})\/messages\/([0-9]{1,15})\/feedback\/?$/;

export interface FeedbackRequest {
  project: string;
  sessionId: string;
  promptId: number;
  reaction: FeedbackReaction;
}

/** `params` are FEEDBACK_PATH's groups (project, session, prompt id); `body` the parsed JSON. */
export function parseFeedback(params: readonly string[], body: unknown): FeedbackRequest {
  const [project = '', sessionId = '', rawPromptId = ''] = params;
  const promptId = Number(rawPromptId);
  if (!Number.isSafeInteger(promptId) || promptId < 1) {
    throw badRequest('The prompt id in the path must be a positive integer.', 'promptId');
  }
  const reaction =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).reaction
      : undefined;
  if (!(FEEDBACK_REACTIONS as readonly unknown[]).includes(reaction)) {
    throw badRequest(
      `'reaction' must be one of ${FEEDBACK_REACTIONS.map((r) => `"${r}"`).join(', ')}.`,
      'reaction',
    );
  }
  return { project, sessionId, promptId, reaction: reaction as FeedbackReaction };
}
