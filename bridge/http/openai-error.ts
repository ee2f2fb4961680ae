// OpenAI-shaped errors: `{"error":{"message","type","param","code"}}` plus an HTTP status and
// the headers that steer client retries (openai-node retries 408/409/429/5xx unless told not to).

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'timeout_error';

export class BridgeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAIErrorType,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'BridgeError';
  }

  /** The CustomGPT.ai HTTP status this error maps, when it maps one (a 410 answers 400). */
  upstreamStatus: number | undefined;

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

export const badRequest = (message: string, param: string | null, code = 'invalid_value') =>
  new BridgeError(400, message, 'invalid_request_error', code, param);

/** 501 for a parameter the seed does not implement; `x-should-retry: false` stops SDK retries. */
export const notImplemented = (param: string, what: string) =>
  new BridgeError(
    501,
    `${what} (\`${param}\`) is not supported by CustomGPT.ai's OpenAI-compatible endpoint. ` +
      'Remove the parameter, or start the bridge with --on-unsupported ignore to have it dropped.',
    'invalid_request_error',
    'unsupported_parameter',
    param,
    { 'x-should-retry': 'false' },
  );

export const notFound = (method: string, path: string) =>
  new BridgeError(
    404,
    `Invalid URL (${method} ${path}): the bridge serves POST /v1/chat/completions, ` +
      'POST /v1/responses, GET /v1/models, GET /v1/models/{id} and /mcp (MCP).',
    'invalid_request_error',
    'unknown_url',
  );

export function asBridgeError(err: unknown): BridgeError {
  if (err instanceof BridgeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BridgeError(
    500,
    `Internal bridge error: ${message}`,
    'server_error',
    'internal_error',
  );
}
