import * as assert from 'node:assert/strict';
import { chatIntro, DEMO_NOTE, parseProjectBody } from '../../../../extension/chat/chatIntro';

describe('empty chat intro (issue 9.4)', () => {
  it('names the project, lists its example questions and marks demo mode', () => {
    const body = parseProjectBody({
      id: '1001',
      name: 'Acme Rocket Docs',
      exampleQuestions: ['How do I install Acme Rocket?', 42, ''],
      simulated: true,
    });
    assert.deepEqual(chatIntro(body), {
      title: 'Ask Acme Rocket Docs',
      questions: ['How do I install Acme Rocket?'],
      demoNote: DEMO_NOTE,
    });
  });

  it('falls back to the id, then to generic words; no demo note for a real project', () => {
    assert.equal(
      chatIntro(parseProjectBody({ id: '7', name: null, exampleQuestions: [], simulated: false }))
        .title,
      'Ask project #7',
    );
    const generic = chatIntro(parseProjectBody({ error: { message: 'not found' } }));
    assert.deepEqual(generic, { title: 'Ask your CustomGPT.ai project', questions: [] });
  });
});
