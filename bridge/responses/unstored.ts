// GET /v1/responses/{id}: the bridge does not store responses (only each one's upstream
// conversation, for previous_response_id), so a retrieve is a 404 that says so.
import { BridgeError } from '../http/openai-error';
import type { RouteCall } from '../http/router';

export function responseNotStored({ params }: RouteCall): never {
  throw new BridgeError(
    404,
    `Response '${(params[0] ?? '').slice(0, 120)}' is not available: the bridge does not store ` +
      'responses (it answers as if store were false). Its conversation can still be continued ' +
      'with previous_response_id.',
    'invalid_request_error',
    'response_not_stored',
    'response_id',
  );
}
