import assert from 'node:assert/strict';
import { countTokens } from '../../../bridge/chat/tokenizer.js';

describe('countTokens', () => {
  it('counts ordinary text exactly as one encode would (short text is one slice)', () => {
    assert.equal(countTokens('Hello, world!'), 4);
    assert.equal(countTokens(''), 0);
  });

  it('stays fast on a long run without spaces (BPE is superlinear in a pre-token)', () => {
    // Counted whole, 20 KiB of DNA took about 24 s of blocked event loop; sliced it is instant.
    // (mocha's timeout is the only clock here.)
    const n = countTokens('ACGT'.repeat(5000));
    assert.ok(n > 2000 && n < 20000, `plausible count: ${n}`);
  });

  it('estimates text beyond 256 KiB at 4 characters a token', () => {
    assert.equal(countTokens('a '.repeat(200_000)), 100_000);
  });
});
