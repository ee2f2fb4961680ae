// Native mode: CustomGPT.ai's conversations + messages API with stream=true.
// A request continues a remembered upstream session when its earlier turns match one (or when
// the client names one); otherwise it opens a conversation and folds earlier turns into the
// prompt. System/developer turns travel as `custom_persona`.
import { BridgeError } from '../http/openai-error';
import type { AnswerRequest, AnswerStream, Backend } from './backend';
import type { UpstreamClient } from './client';
import { nativeAnswerEvents, translateNativeEvent, type UpstreamEvent } from './events';
import { foldTranscript, personaOf, type SessionMemory } from './sessions';
import { relayEvents } from './sse';

/** A native stream that closes without its `finish` event is an incomplete answer. */
const ENDED_EARLY: UpstreamEvent = {
  kind: 'error',
  message: 'CustomGPT.ai ended the answer before it was complete.',
};

const SESSION_ID = /^[A-Za-z0-9-]{1,100}$/;

export class NativeBackend implements Backend {
  readonly opensSessions = true;

  constructor(
    private readonly client: UpstreamClient,
    private readonly sessions: SessionMemory,
    /** Time for a whole JSON answer (non-streaming requests). */
    private readonly answerTimeoutMs: number,
  ) {}

  async open(req: AnswerRequest): Promise<AnswerStream> {
    const { project, turns } = req;
    const earlier = turns.slice(0, -1);
    const explicit = req.sessionId;
    if (explicit !== undefined && !SESSION_ID.test(explicit)) {
      throw new BridgeError(
        400,
        'The x-customgpt-session-id header is not a CustomGPT.ai session id.',
        'invalid_request_error',
        'invalid_session_id',
        'x-customgpt-session-id',
      );
    }
    // A first question has no earlier dialog to match: skip hashing.
    const hasDialog = earlier.some((t) => t.role === 'user' || t.role === 'assistant');
    const continued = explicit ?? (hasDialog ? this.sessions.take(project, earlier) : undefined);
    if (continued) {
      req.onSession?.(continued);
      try {
        const events = await this.send(req, continued, turns[turns.length - 1]!.text);
        return this.answer(req, continued, events);
      } catch (err) {
        if (!(err instanceof BridgeError && err.status === 404)) throw err;
        if (explicit) throw sessionNotFound(explicit, project);
        // A remembered session the upstream forgot (deleted, expired): start afresh.
      }
    }
    const session = await this.createConversation(req);
    req.onSession?.(session);
    return this.answer(req, session, await this.send(req, session, foldTranscript(turns)));
  }

  private answer(
    req: AnswerRequest,
    session: string,
    events: AnswerStream['events'],
  ): AnswerStream {
    return {
      sessionId: session,
      events,
      answered: (content) =>
        this.sessions.remember(
          req.project,
          [...req.turns, { role: 'assistant', text: content }],
          session,
        ),
    };
  }

  private async createConversation(req: AnswerRequest): Promise<string> {
    const first = req.turns.find((t) => t.role === 'user')?.text ?? 'Chat';
    const data = await this.client.json<{ session_id?: unknown }>({
      method: 'POST',
      path: `/projects/${encodeURIComponent(req.project)}/conversations`,
      body: { name: first.replace(/\s+/g, ' ').trim().slice(0, 60) || 'Chat' },
      signal: req.signal,
      project: req.project,
    });
    // It goes into a response header: only a well-formed id is accepted.
    if (typeof data?.session_id !== 'string' || !SESSION_ID.test(data.session_id)) {
      throw new BridgeError(
        502,
        'CustomGPT.ai did not return a conversation id.',
        'server_error',
        'upstream_error',
      );
    }
    return data.session_id;
  }

  /** Sends the prompt; the answer's events come from its SSE stream or its one JSON reply. */
  private async send(
    req: AnswerRequest,
    sessionId: string,
    prompt: string,
  ): Promise<AnswerStream['events']> {
    const persona = personaOf(req.turns);
    const call = {
      method: 'POST' as const,
      path:
        `/projects/${encodeURIComponent(req.project)}/conversations/` +
        `${encodeURIComponent(sessionId)}/messages?stream=${req.stream}`,
      body: persona === undefined ? { prompt } : { prompt, custom_persona: persona },
      signal: req.signal,
      project: req.project,
    };
    if (!req.stream) {
      return nativeAnswerEvents(
        await this.client.json({ ...call, headersTimeoutMs: this.answerTimeoutMs }),
      );
    }
    const { body } = await this.client.open(call);
    return relayEvents(body, req.signal, translateNativeEvent, ENDED_EARLY);
  }
}

function sessionNotFound(session: string, project: string): BridgeError {
  return new BridgeError(
    404,
    `CustomGPT.ai has no conversation ${session} in project ${project} (it may have been ` +
      'deleted). Send the request without the x-customgpt-session-id header to start a new one.',
    'not_found_error',
    'session_not_found',
    'x-customgpt-session-id',
  );
}
