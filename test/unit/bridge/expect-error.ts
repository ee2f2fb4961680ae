// Shared assertion for the bridge's OpenAI-shaped errors: runs `fn`, requires it to throw a
// BridgeError, and compares every field the client sees (status, type, code, param, headers).
import assert from 'node:assert/strict';
import { BridgeError } from '../../../bridge/http/openai-error.js';

export interface ExpectedError {
  status: number;
  type: string;
  code: string | null;
  param: string | null;
  headers?: Record<string, string>;
}

export function expectBridgeError(fn: () => unknown, expected: ExpectedError): BridgeError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== undefined, 'expected a BridgeError, but nothing was thrown');
  assert.ok(thrown instanceof BridgeError, `expected a BridgeError, got ${String(thrown)}`);
  assert.deepEqual(
    { status: thrown.status, type: thrown.type, code: thrown.code, param: thrown.param },
    { status: expected.status, type: expected.type, code: expected.code, param: expected.param },
  );
  assert.deepEqual(thrown.headers, expected.headers ?? {});
  assert.equal(thrown.body().error.message, thrown.message);
  assert.ok(thrown.message.length > 0, 'error message must not be empty');
  return thrown;
}

/** A 400 invalid_request_error naming `param`. */
export const bad = (param: string | null, code: string): ExpectedError => ({
  status: 400,
  type: 'invalid_request_error',
  code,
  param,
});

/** A 501 for an unsupported parameter, with the header that stops openai-node's retries. */
export const unsupported = (param: string): ExpectedError => ({
  status: 501,
  type: 'invalid_request_error',
  code: 'unsupported_parameter',
  param,
  headers: { 'x-should-retry': 'false' },
});
