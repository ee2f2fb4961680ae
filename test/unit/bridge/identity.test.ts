// The identity proof (bridge/http/identity.ts): only a holder of the token can answer the
// challenge, for this port and this nonce; the check is exact.
import * as assert from 'node:assert/strict';
import {
  identityAnswer,
  identityProof,
  isValidNonce,
  verifyIdentityProof,
} from '../../../bridge/http/identity';

const TOKEN = 'token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const NONCE = 'n0nce-0123456789abcdef_XYZ';

describe('bridge identity proof', () => {
  it('verifies the proof of a bridge holding the same token, for this port and nonce', () => {
    const proof = identityProof(TOKEN, 8765, NONCE);
    assert.equal(verifyIdentityProof(TOKEN, 8765, NONCE, proof), true);
  });

  it('rejects another token, another port, another nonce, or a malformed proof', () => {
    const proof = identityProof(TOKEN, 8765, NONCE);
    assert.equal(verifyIdentityProof('another-token', 8765, NONCE, proof), false);
    assert.equal(verifyIdentityProof(TOKEN, 8766, NONCE, proof), false, 'relayed from 8766');
    assert.equal(verifyIdentityProof(TOKEN, 8765, `${NONCE}x`, proof), false, 'replayed');
    for (const bad of [undefined, null, 42, '', proof.slice(1), `${proof}=`, 'x'.repeat(300)]) {
      assert.equal(verifyIdentityProof(TOKEN, 8765, NONCE, bad), false, String(bad));
    }
  });

  it('never contains the token', () => {
    const proof = identityProof(TOKEN, 8765, NONCE);
    assert.ok(!proof.includes(TOKEN));
    assert.notEqual(proof, identityProof(TOKEN, 8765, 'another-nonce-0123456789'));
  });

  it('answers a valid nonce with the proof and a bad one with 400', () => {
    const ok = identityAnswer(`nonce=${NONCE}`, TOKEN, 8765);
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, {
      service: 'customgpt-bridge',
      port: 8765,
      proof: identityProof(TOKEN, 8765, NONCE),
    });
    for (const query of [
      '',
      'nonce=short',
      `nonce=${'a'.repeat(129)}`,
      'nonce=%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00',
    ]) {
      assert.equal(identityAnswer(query, TOKEN, 8765).status, 400, query);
    }
    assert.equal(isValidNonce('a'.repeat(16)), true);
  });
});
