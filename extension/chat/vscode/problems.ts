// A failed answer (the chat client's outcome) as a ChatProblem the Chat view can word.
import type { ChatOutcome } from '../chatClient';
import type { ChatProblem } from './chatErrors';

export function problemOfOutcome(outcome: Extract<ChatOutcome, { kind: 'error' }>): ChatProblem {
  // No HTTP status and no error code: the request never reached a bridge that answered.
  if (outcome.status === undefined && outcome.code === undefined) {
    const reached = !/^Could not reach the bridge/.test(outcome.message);
    if (!reached) {
      return {
        kind: 'unreachable',
        message: outcome.message.replace(/^Could not reach the bridge: /, ''),
      };
    }
  }
  const problem: ChatProblem = { kind: 'answer', message: outcome.message };
  if (outcome.status !== undefined) problem.status = outcome.status;
  if (outcome.code !== undefined) problem.code = outcome.code;
  if (outcome.retryAfter !== undefined) problem.retryAfter = outcome.retryAfter;
  return problem;
}
