// estimateUsage: cl100k_base token counts with ChatML overhead (3 per message + 3 priming).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ChatTurn } from '../../../bridge/chat/request.js';
import { estimateUsage } from '../../../bridge/chat/usage.js';

describe('estimateUsage', async () => {
  it('counts prompt with per-message overhead and the completion', async () => {
    // prompt = 3 (priming) + [3 + user(1) + "Hello world"(2)] = 9
    assert.deepEqual(await estimateUsage([{ role: 'user', text: 'Hello world' }], 'Hi there'), {
      prompt_tokens: 9,
      completion_tokens: 2,
      total_tokens: 11,
    });
  });

  it('counts every turn, roles included', async () => {
    const turns: ChatTurn[] = [
      { role: 'system', text: 'Hello world' },
      { role: 'user', text: 'Hello world' },
      { role: 'assistant', text: 'Hi there' },
      { role: 'user', text: 'Hi there' },
    ];
    // 3 + 4 * (3 + 1) + 2 + 2 + 2 + 2 = 27
    assert.deepEqual(await estimateUsage(turns, ''), {
      prompt_tokens: 27,
      completion_tokens: 0,
      total_tokens: 27,
    });
  });

  it('an empty completion has 0 completion tokens', async () => {
    const u = await estimateUsage([{ role: 'user', text: 'Q' }], '');
    assert.equal(u.completion_tokens, 0);
    assert.equal(u.total_tokens, u.prompt_tokens);
  });

  it('no turns: only the reply priming', async () => {
    assert.deepEqual(await estimateUsage([], ''), {
      prompt_tokens: 3,
      completion_tokens: 0,
      total_tokens: 3,
    });
  });

  it('positive whole counts and total = prompt + completion (property)', async () => {
    const turn = fc.record({
      role: fc.constantFrom('system', 'developer', 'user', 'assistant' as const),
      text: fc.string(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(turn, { minLength: 1, maxLength: 5 }),
        fc.string(),
        async (turns, out) => {
          const u = await estimateUsage(turns, out);
          assert.ok(Number.isInteger(u.prompt_tokens) && u.prompt_tokens >= 3 + 4 * turns.length);
          assert.ok(Number.isInteger(u.completion_tokens) && u.completion_tokens >= 0);
          assert.equal(u.completion_tokens > 0, out !== '');
          assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows with the completion', async () => {
    const turns: ChatTurn[] = [{ role: 'user', text: 'Q' }];
    const short = await estimateUsage(turns, 'one two');
    const long = await estimateUsage(turns, 'one two three four five six');
    assert.ok(long.completion_tokens > short.completion_tokens);
    assert.equal(long.prompt_tokens, short.prompt_tokens);
  });
});
