import * as assert from 'node:assert/strict';
import { promptWithSelection } from '../../../extension/selectionPrompt';

describe('ask about selection', () => {
  it('quotes the selection as a fenced code block under the question', () => {
    const prompt = promptWithSelection('What does this do?', {
      text: 'const a = 1;',
      languageId: 'typescript',
      fileName: 'a.ts',
    });
    assert.equal(
      prompt,
      'What does this do?\n\nSelected from a.ts:\n```typescript\nconst a = 1;\n```',
    );
  });

  it('uses a longer fence when the selection contains backtick fences', () => {
    const prompt = promptWithSelection('Explain', {
      text: '````md\n```js\nx\n```\n````',
      languageId: 'markdown',
      fileName: 'r.md',
    });
    assert.ok(prompt.includes('`````markdown\n'));
    assert.ok(prompt.endsWith('\n`````'));
  });
});
