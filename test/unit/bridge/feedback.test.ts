// Pure parts of message feedback and project facts: the feedback route's path and body rules,
// and the example questions taken from a project's settings.
import * as assert from 'node:assert/strict';
import { FEEDBACK_PATH, parseFeedback } from '../../../bridge/feedback/request';
import { BridgeError } from '../../../bridge/http/openai-error';
import { exampleQuestionsOf } from '../../../bridge/upstream/projects';

describe('feedback request', () => {
  it("matches CustomGPT.ai's path with safe ids only", () => {
    const ok = FEEDBACK_PATH.exec(
      '/api/v1/projects/1001/conversations/ab-12/messages/433/feedback',
    );
    assert.deepEqual(ok?.slice(1), ['1001', 'ab-12', '433']);
    for (const bad of [
      '/api/v1/projects/1001/conversations/a.b/messages/433/feedback',
      '/api/v1/projects/1001/conversations/ab/messages/4x/feedback',
      '/api/v1/projects/10%2F1/conversations/ab/messages/4/feedback',
      '/api/v1/projects/1001/conversations/ab/messages/4/feedback/extra',
    ]) {
      assert.equal(FEEDBACK_PATH.exec(bad), null, bad);
    }
  });

  it('takes liked, disliked and neutral; anything else is a 400 naming reaction', () => {
    for (const reaction of ['liked', 'disliked', 'neutral'] as const) {
      assert.deepEqual(parseFeedback(['1', 's', '2'], { reaction }), {
        project: '1',
        sessionId: 's',
        promptId: 2,
        reaction,
      });
    }
    for (const body of [{}, { reaction: 'LIKED' }, null, 'liked', [{ reaction: 'liked' }]]) {
      assert.throws(
        () => parseFeedback(['1', 's', '2'], body),
        (e: unknown) => e instanceof BridgeError && e.status === 400 && e.param === 'reaction',
      );
    }
    assert.throws(() => parseFeedback(['1', 's', '0'], { reaction: 'liked' }), BridgeError);
  });
});

describe('project example questions', () => {
  it('keeps non-empty strings, one line each, at most 10 of at most 300 characters', () => {
    assert.deepEqual(exampleQuestionsOf(['  How?\n now ', '', 3, null, 'Why?']), [
      'How? now',
      'Why?',
    ]);
    assert.deepEqual(exampleQuestionsOf('not a list'), []);
    assert.equal(exampleQuestionsOf(Array(20).fill('q')).length, 10);
    assert.equal(exampleQuestionsOf(['x'.repeat(1000)])[0]?.length, 300);
  });
});
