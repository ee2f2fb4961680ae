// Upstream failures mapped to OpenAI-shaped errors whose messages tell the user what to do.
// 401/403/404/429 keep their meaning; 413 (the prompt is too large) is the client's to fix and
// stays 413; the permanent refusals 405/409/410/415 become a 400 no client retries; every other
// upstream failure is the bridge's upstream failing (502), and a timeout is 504.
// What clients retry (WIRE.md): openai-node retries 408, 409, 429 and >= 500 unless the answer
// says `x-should-retry: false`; Continue retries 429/502/503/504 and the types `server_error` and
// `rate_limit_exceeded` whatever the headers. So a permanent failure needs a 4xx status other
// than 408/409/429, a non-server type, and `x-should-retry: false`.
import { BridgeError } from '../http/openai-error';
import { upstreamMessage } from './events';

const NO_RETRY = { 'x-should-retry': 'false' };

/** Upstream statuses that retrying the same request cannot change. */
const PERMANENT: Record<number, string> = {
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
};

/** Seconds a client should wait after a 429 that carried no Retry-After of its own. */
export const DEFAULT_RETRY_AFTER_S = '5';
/** Delay-seconds or an HTTP date (RFC 9110), both of which openai-node honours. */
const RETRY_AFTER = /^(\d{1,9}|[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;

export function upstreamStatusError(
  status: number,
  retryAfter: string | undefined,
  bodyText: string,
  project: string | undefined,
): BridgeError {
  const err = statusError(status, retryAfter, bodyText, project);
  err.upstreamStatus = status;
  return err;
}

/**
 * The conversation a request was sent to no longer exists upstream: 404, or 410 Gone (the
 * answer of a deleted or expired conversation). A remembered or spare session that is gone is
 * replaced by a new conversation; one the client named is reported as not found.
 */
export const isConversationGone = (err: unknown): boolean =>
  err instanceof BridgeError && (err.upstreamStatus === 404 || err.upstreamStatus === 410);

function statusError(
  status: number,
  retryAfter: string | undefined,
  bodyText: string,
  project: string | undefined,
): BridgeError {
  const detail = detailOf(bodyText);
  const said = detail ? ` CustomGPT.ai said: "${detail}"` : '';
  switch (status) {
    case 401:
      return new BridgeError(
        401,
        `CustomGPT.ai rejected the API key (HTTP 401).${said} Set a valid key in CUSTOMGPT_API_KEY ` +
          "(in VS Code: 'CustomGPT: Set API Key'); keys are created in your CustomGPT.ai account settings.",
        'authentication_error',
        'customgpt_key_rejected',
      );
    case 403:
      return new BridgeError(
        403,
        `CustomGPT.ai refused access (HTTP 403).${said} Check that your key's account owns ` +
          `project ${project ?? '(none)'} and that its plan allows API use.`,
        'permission_error',
        'customgpt_forbidden',
      );
    case 404:
      return new BridgeError(
        404,
        `CustomGPT.ai project ${project ?? '(none)'} was not found (HTTP 404).${said} Check the ` +
          "project id (--project, CUSTOMGPT_PROJECT_ID, or 'CustomGPT: Select Project').",
        'not_found_error',
        'project_not_found',
      );
    case 429:
      return new BridgeError(
        429,
        `CustomGPT.ai is rate-limiting this key (HTTP 429).${said} Wait and retry; query credits ` +
          'and per-minute limits depend on your plan.',
        'rate_limit_error',
        'rate_limit_exceeded',
        null,
        {
          'retry-after':
            retryAfter && RETRY_AFTER.test(retryAfter) ? retryAfter : DEFAULT_RETRY_AFTER_S,
        },
      );
    case 413:
      return new BridgeError(
        413,
        `CustomGPT.ai refused the prompt as too large (HTTP 413 Payload Too Large).${said} The ` +
          'conversation is too long for it (the question, the system prompt or the earlier turns): ' +
          'shorten the question or the system prompt, or start a new chat. Retrying the same ' +
          'request will not help.',
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
        NO_RETRY,
      );
    case 405:
    case 409:
    case 410:
    case 415:
      return new BridgeError(
        400,
        `CustomGPT.ai refused the request (HTTP ${status} ${PERMANENT[status]}).${said} This is ` +
          'not temporary: retrying the same request will not help. ' +
          (status === 409 || status === 410
            ? 'Start a new chat; if it keeps happening, the project or conversation may have ' +
              'changed in the CustomGPT.ai dashboard.'
            : 'Check that --upstream points at the CustomGPT.ai API (https://app.customgpt.ai), ' +
              'and update the bridge.'),
        'invalid_request_error',
        'upstream_rejected',
        null,
        NO_RETRY,
      );
    case 400:
    case 422:
      return new BridgeError(
        400,
        `CustomGPT.ai did not accept the request (HTTP ${status}).${said}`,
        'invalid_request_error',
        'upstream_rejected',
      );
    default:
      return new BridgeError(
        502,
        `CustomGPT.ai answered with HTTP ${status}.${said} This is usually temporary: retry in a moment.`,
        'server_error',
        'upstream_error',
      );
  }
}

/** Network-level failures: nothing usable came back. */
export function upstreamNetworkError(err: unknown, origin: string): BridgeError {
  const code = (err as { code?: unknown })?.code;
  const name = (err as { name?: unknown })?.name;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    name === 'TimeoutError'
  ) {
    return new BridgeError(
      504,
      `CustomGPT.ai at ${origin} did not answer in time. Retry; if it keeps happening, the service may be degraded.`,
      'timeout_error',
      'upstream_timeout',
    );
  }
  const why =
    typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown error';
  return new BridgeError(
    502,
    `Could not reach CustomGPT.ai at ${origin} (${why}). Check the network connection` +
      ' (and --upstream, if set), then retry.',
    'server_error',
    'upstream_unreachable',
  );
}

/** The upstream's answer broke off after it began: a reset, a stall, a closed socket. */
export function upstreamBodyError(err: unknown): BridgeError {
  const code = (err as { code?: unknown })?.code;
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new BridgeError(
      504,
      'CustomGPT.ai stopped sending in the middle of the answer (stream idle timeout). Retry the question.',
      'timeout_error',
      'upstream_timeout',
    );
  }
  const why =
    typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown error';
  return new BridgeError(
    502,
    `The connection to CustomGPT.ai broke in the middle of the answer (${why}). Retry the question.`,
    'server_error',
    'upstream_stream_error',
  );
}

/** The error envelope's message, when the body is the JSON envelope; never HTML pages. */
function detailOf(bodyText: string): string | undefined {
  const text = bodyText.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    return upstreamMessage(JSON.parse(text))?.replace(/\s+/g, ' ').slice(0, 300);
  } catch {
    return undefined;
  }
}
