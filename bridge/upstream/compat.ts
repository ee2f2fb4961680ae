// Compat mode: forward to CustomGPT.ai's own OpenAI-compatible `/chat/completions`. The bridge
// still applies every seed rule locally first (a 501 never reaches the upstream) and re-frames
// the answer, which repairs that endpoint's stream (no `role`, no `finish_reason`, no [DONE]).
import type { AnswerRequest, AnswerStream, Backend } from './backend';
import type { UpstreamClient } from './client';
import { compatAnswerEvents, translateCompatChunk, type UpstreamEvent } from './events';
import { relayEvents } from './sse';

export class CompatBackend implements Backend {
  constructor(
    private readonly client: UpstreamClient,
    /** Time for a whole JSON answer (non-streaming requests). */
    private readonly answerTimeoutMs: number,
  ) {}

  async open(req: AnswerRequest): Promise<AnswerStream> {
    const call = {
      method: 'POST' as const,
      path: `/projects/${encodeURIComponent(req.project)}/chat/completions`,
      body: {
        // That endpoint knows system/user/assistant and plain-string content only.
        messages: req.turns.map((t) => ({
          role: t.role === 'developer' ? 'system' : t.role,
          content: t.text,
        })),
        stream: req.stream,
      },
      signal: req.signal,
      project: req.project,
    };
    const answered = () => undefined;
    if (!req.stream) {
      const completion = await this.client.json({
        ...call,
        headersTimeoutMs: this.answerTimeoutMs,
      });
      return { sessionId: null, events: compatAnswerEvents(completion), answered };
    }
    const { body } = await this.client.open(call);
    // Its stream may end without [DONE]: a complete answer all the same.
    const atEnd: UpstreamEvent = { kind: 'finish', citationIds: [] };
    return {
      sessionId: null,
      events: relayEvents(body, req.signal, translateCompatChunk, atEnd),
      answered,
    };
  }
}
