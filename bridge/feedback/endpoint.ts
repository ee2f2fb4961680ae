// Relays message feedback to CustomGPT.ai (PUT .../messages/{promptId}/feedback) with the
// bridge's key, so a client that only holds the local token can rate an answer. The prompt id
// comes from the answer itself: the x-customgpt-prompt-id header of a JSON answer, or the
// `prompt_id` field of a stream's final chunk.
import { sendJson } from '../chat/respond';
import { BridgeError } from '../http/openai-error';
import type { RouteCall } from '../http/router';
import type { UpstreamClient } from '../upstream/client';
import { parseFeedback } from './request';

export function feedbackEndpoint(client: UpstreamClient) {
  return async ({ res, params, body }: RouteCall): Promise<void> => {
    const feedback = parseFeedback(params, body);
    const path =
      `/projects/${encodeURIComponent(feedback.project)}/conversations/` +
      `${encodeURIComponent(feedback.sessionId)}/messages/${feedback.promptId}/feedback`;
    let data: unknown;
    try {
      data = await client.json({
        method: 'PUT',
        path,
        body: { reaction: feedback.reaction },
        project: feedback.project,
      });
    } catch (err) {
      // The generic 404 names the project; here the message or conversation is what is missing.
      if (err instanceof BridgeError && err.status === 404) {
        throw new BridgeError(
          404,
          `CustomGPT.ai has no message ${feedback.promptId} in conversation ${feedback.sessionId} ` +
            `of project ${feedback.project}.`,
          'not_found_error',
          'message_not_found',
        );
      }
      throw err;
    }
    // CustomGPT.ai's own success envelope: a client written for its API reads it unchanged.
    sendJson(res, 200, { status: 'success', data });
  };
}
