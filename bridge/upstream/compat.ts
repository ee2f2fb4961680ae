// Compat mode: forward to CustomGPT.ai's own OpenAI-compatible `/chat/completions`. The bridge
// still applies every seed rule locally first (a 501 never reaches the upstream) and re-frames
// the answer, which repairs that endpoint's stream (no `role`, no `finish_reason`, no [DONE]).
import type { AnswerRequest, AnswerStream, Backend } from './backend';
import type { UpstreamClient } from './client';
import { translateCompatChunk } from './events';
import { relayEvents } from './sse';

export class CompatBackend implements Backend {
  constructor(private readonly client: UpstreamClient) {}

  async open(req: AnswerRequest): Promise<AnswerStream> {
    const { body } = await this.client.open({
      method: 'POST',
      path: `/projects/${encodeURIComponent(req.project)}/chat/completions`,
      body: {
        // That endpoint knows system/user/assistant and plain-string content only.
        messages: req.turns.map((t) => ({
          role: t.role === 'developer' ? 'system' : t.role,
          content: t.text,
        })),
        stream: true,
      },
      signal: req.signal,
      project: req.project,
    });
    return {
      sessionId: null,
      // Its stream may end without [DONE]: a complete answer all the same.
      events: relayEvents(body, req.signal, translateCompatChunk, {
        kind: 'finish',
        citationIds: [],
      }),
      answered() {},
    };
  }
}
