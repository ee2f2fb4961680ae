// The identity proof: how a client that holds the bridge token (the VS Code extension) learns
// that whatever answers on a port is really a bridge with that token, without sending the token
// to it. The client sends a fresh random nonce; the bridge answers with
// HMAC-SHA256(token, label | port | nonce). Only a holder of the token can compute it; the port
// in the MAC stops a squatter from relaying the challenge to a real bridge on another port.
// Unauthenticated on purpose (the token is what is being checked), and it reveals nothing: an
// HMAC of a nonce the client chose.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IdentityBody } from '../protocol';

export const IDENTITY_PATH = '/bridge/identity';
const LABEL = 'customgpt-bridge identity v1';
/** base64url or hex, 16 to 128 characters: enough entropy, bounded work. */
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

export function isValidNonce(nonce: string): boolean {
  return NONCE.test(nonce);
}

/** Pure: the proof a bridge holding `token`, listening on `port`, gives for `nonce`. */
export function identityProof(token: string, port: number, nonce: string): string {
  return createHmac('sha256', token).update(`${LABEL}\n${port}\n${nonce}`).digest('base64url');
}

/** Pure: whether `proof` is the right answer for our token, the port we asked, our nonce. */
export function verifyIdentityProof(
  token: string,
  port: number,
  nonce: string,
  proof: unknown,
): boolean {
  if (typeof proof !== 'string' || proof.length > 256) return false;
  const expected = Buffer.from(identityProof(token, port, nonce));
  const given = Buffer.from(proof);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The answer to GET /bridge/identity?nonce=N: 200 with the proof, or 400 for a bad nonce. */
export function identityAnswer(
  query: string,
  token: string,
  port: number,
): { status: number; body: IdentityBody | { error: { message: string; type: string } } } {
  const nonce = new URLSearchParams(query).get('nonce') ?? '';
  if (!isValidNonce(nonce)) {
    return {
      status: 400,
      body: {
        error: {
          message: "'nonce' must be 16 to 128 characters of [A-Za-z0-9_-].",
          type: 'invalid_request_error',
        },
      },
    };
  }
  return {
    status: 200,
    body: { service: 'customgpt-bridge', port, proof: identityProof(token, port, nonce) },
  };
}
