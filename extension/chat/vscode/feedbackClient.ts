// Thumbs up/down from the Chat view -> the bridge's feedback route (CustomGPT.ai's own path),
// which relays it to CustomGPT.ai's message feedback API with the key the bridge holds.
import type { FeedbackReaction } from '../../../bridge/protocol';
import { baseOrigin } from '../../bridge/bridgeState';

export interface FeedbackTarget {
  projectId: string;
  sessionId: string;
  promptId: number;
}

export function feedbackUrl(port: number, target: FeedbackTarget): string {
  return (
    `${baseOrigin(port)}/api/v1/projects/${encodeURIComponent(target.projectId)}` +
    `/conversations/${encodeURIComponent(target.sessionId)}/messages/${target.promptId}/feedback`
  );
}

/** Resolves with the HTTP status (200 when CustomGPT.ai took it); rejects when unreachable. */
export async function sendFeedback(
  bridge: { port: number; token: string },
  target: FeedbackTarget,
  reaction: FeedbackReaction,
): Promise<number> {
  const response = await fetch(feedbackUrl(bridge.port, target), {
    method: 'PUT',
    headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reaction }),
    signal: AbortSignal.timeout(15000),
  });
  await response.body?.cancel().catch(() => undefined);
  return response.status;
}
