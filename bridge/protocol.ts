// The contract between the bridge and whoever drives it (the VS Code extension, tests,
// benchmarks). Types only: both sides import them, neither side ships the other's code.

export type UpstreamMode = 'native' | 'compat';
export type BridgeMode = UpstreamMode | 'demo';

/** The single JSON line the bridge prints on stdout once it is listening. */
export interface ReadyLine {
  event: 'ready';
  /** OpenAI base URL, e.g. http://127.0.0.1:8765/v1 */
  url: string;
  port: number;
  /** The local bearer token clients must send. */
  token: string;
  mode: BridgeMode;
  /** Project id, or "" when none is configured yet. */
  project: string;
  /** Present (true) only in demo mode: answers come from the built-in simulator. */
  simulated?: boolean;
}

/** GET /bridge/health: no token needed, reveals nothing secret. */
export interface HealthBody {
  ok: true;
  service: 'customgpt-bridge';
  version: string;
}

/**
 * GET /bridge/identity?nonce=N (no token): proves the bridge holds the token without revealing
 * it. `proof` is HMAC-SHA256(token, label, port, nonce), see bridge/http/identity.ts.
 */
export interface IdentityBody {
  service: 'customgpt-bridge';
  port: number;
  proof: string;
}

/** GET /bridge/info (token required). */
export interface InfoBody {
  service: 'customgpt-bridge';
  version: string;
  pid: number;
  port: number;
  url: string;
  mode: BridgeMode;
  project: string;
  /** The project's model from its settings, when known. */
  model: string | null;
  simulated: boolean;
  activeStreams: number;
  /** Entries in the bounded caches (soak tests watch these). */
  caches?: { sessions: number; citations: number };
}

/** GET /bridge/projects?page=N (token required): one upstream page of the account's projects. */
export interface ProjectsPage {
  page: number;
  lastPage: number;
  total: number;
  projects: { id: string; name: string; active: boolean }[];
}

/** GET /bridge/project (token required): what a chat panel shows before the first question. */
export interface ProjectBody {
  /** "" when no project is selected. */
  id: string;
  /** null when the lookup failed (no key, wrong key, unknown project). */
  name: string | null;
  /** The project's `example_questions` setting, at most a handful. */
  exampleQuestions: string[];
  simulated: boolean;
}

/** GET /bridge/projects/{id} (token required): what the project's settings say. */
export interface ProjectFacts {
  id: string;
  /** The project's chatbot_model ("customgpt" when the settings name none). */
  model: string;
  /** The settings' example_questions, trimmed: follow-up suggestions for a chat. */
  exampleQuestions: string[];
}

/** WebSocket activity channel: ws://127.0.0.1:PORT/bridge/activity, `Authorization: Bearer <token>`. */
export type ActivityEvent =
  | {
      type: 'hello';
      mode: BridgeMode;
      project: string;
      model: string | null;
      url: string;
      active: number;
      simulated: boolean;
      /** The project's display name, when the bridge could look it up in time. */
      projectName?: string | null;
    }
  /** A chat request was accepted. `client` is the User-Agent's product (e.g. "OpenAI/JS 7.59.0"). */
  | { type: 'start'; id: string; client: string; stream: boolean; at: number }
  /** While any stream is open, at most 4 per second: open streams and characters per second. */
  | { type: 'progress'; active: number; cps: number }
  /**
   * A chat request ended (successfully or not). Requests refused before they started (400, 501)
   * get an `end` without a `start`. 499 means the client went away (cancelled).
   */
  | {
      type: 'end';
      id: string;
      client: string;
      status: number;
      ms: number;
      chars: number;
      error?: string;
      /** The OpenAI error's `param` (for a 501: the unsupported parameter, e.g. "tools"). */
      param?: string;
      /** The OpenAI error's `code` (e.g. "unsupported_parameter", "customgpt_key_rejected"). */
      code?: string;
      active: number;
    };

export const ACTIVITY_PATH = '/bridge/activity';
/** Names the upstream CustomGPT.ai conversation, on responses and (to pick one) on requests. */
export const SESSION_HEADER = 'x-customgpt-session-id';
/**
 * Names the upstream message (CustomGPT.ai's prompt id) of a non-streaming answer, for message
 * feedback. A stream's headers go out before the id is known: there it is the final chunk's
 * `prompt_id` field instead (see PROMPT_ID_FIELD).
 */
export const PROMPT_ID_HEADER = 'x-customgpt-prompt-id';
/** The field of a stream's final chunk (the one with `finish_reason`) that carries the prompt id. */
export const PROMPT_ID_FIELD = 'prompt_id';
/** Reactions CustomGPT.ai's message feedback API accepts. */
export const FEEDBACK_REACTIONS = ['liked', 'disliked', 'neutral'] as const;
export type FeedbackReaction = (typeof FEEDBACK_REACTIONS)[number];
export const DEFAULT_PORT = 8765;
