// Native mode: CustomGPT.ai's conversations + messages API with stream=true.
// A request continues a remembered upstream session when its earlier turns match one (or when
// the client names one); otherwise it opens a conversation and folds earlier turns into the
// prompt. System/developer turns travel as `custom_persona`.
import { BridgeError } from '../http/openai-error';
import type { AnswerRequest, AnswerStream, Backend } from './backend';
import type { UpstreamClient } from './client';
import type { ConversationPool } from './conversation-pool';
import { isConversationGone } from './errors';
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
    /** Spare conversations made ahead of need (upstream/conversation-pool.ts). */
    private readonly spares?: ConversationPool,
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
        // A session the client named holds turns this request may not carry (a Responses
        // previous_response_id, MCP's conversation_id, the session header): its transcript is
        // unknown, so no transcript key may lead another chat into it.
        return this.answer(req, continued, events, explicit === undefined);
      } catch (err) {
        if (!isConversationGone(err)) throw err;
        if (explicit) throw sessionNotFound(explicit, project);
        // A remembered session the upstream forgot (deleted, expired): start afresh.
      }
    }
    const prompt = foldTranscript(turns);
    const spare = await this.spares?.take(project);
    if (spare) {
      req.onSession?.(spare);
      try {
        const events = await this.send(req, spare, prompt);
        this.spares!.rename(project, spare, conversationName(req));
        this.spares!.prime(project);
        return this.answer(req, spare, events);
      } catch (err) {
        if (!isConversationGone(err)) throw err;
        // The spare is gone upstream (deleted meanwhile): make one on demand.
      }
    }
    const session = await this.createConversation(project, conversationName(req), req.signal);
    req.onSession?.(session);
    const events = await this.send(req, session, prompt);
    // The project is in use: the next new chat gets a conversation made ahead of need.
    this.spares?.prime(project);
    return this.answer(req, session, events);
  }

  /**
   * `transcriptKnown`: the request's turns are the whole upstream conversation, so they and the
   * answer may be remembered as its transcript (a session continued by transcript match, or a new
   * one). Not so for a session the client picked by id.
   */
  private answer(
    req: AnswerRequest,
    session: string,
    events: AnswerStream['events'],
    transcriptKnown = true,
  ): AnswerStream {
    return {
      sessionId: session,
      events,
      answered: (content) => {
        if (!transcriptKnown) return;
        this.sessions.remember(
          req.project,
          [...req.turns, { role: 'assistant', text: content }],
          session,
        );
      },
    };
  }

  /** Opens a conversation; its session id. Also what the spare pool makes spares with. */
  async createConversation(project: string, name: string, signal?: AbortSignal): Promise<string> {
    const data = await this.client.json<{ session_id?: unknown }>({
      method: 'POST',
      path: `/projects/${encodeURIComponent(project)}/conversations`,
      body: { name },
      ...(signal ? { signal } : {}),
      project,
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

/** A conversation is named after its first question (60 characters at most). */
function conversationName(req: AnswerRequest): string {
  const first = req.turns.find((t) => t.role === 'user')?.text ?? 'Chat';
  return first.replace(/\s+/g, ' ').trim().slice(0, 60) || 'Chat';
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
