import * as assert from 'node:assert/strict';
import {
  promptWithSelection,
  quotePreview,
  selectionReference,
} from '../../../../extension/chat/selectionPrompt';

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

describe('Ask About Selection as a person reads it (issue 9.5)', () => {
  it('refers to the selection as file:first-last, 1-based', () => {
    assert.equal(
      selectionReference('app.ts', { startLine: 9, endLine: 23, endCharacter: 5 }),
      'app.ts:10-24',
    );
    // Whole lines selected down to the start of the next one: that line is not part of it.
    assert.equal(
      selectionReference('app.ts', { startLine: 9, endLine: 24, endCharacter: 0 }),
      'app.ts:10-24',
    );
    assert.equal(
      selectionReference('app.ts', { startLine: 4, endLine: 4, endCharacter: 12 }),
      'app.ts:5',
    );
  });

  it('quotes a compact preview of the selection', () => {
    assert.equal(quotePreview('\na\nb\n'), 'a\nb');
    assert.equal(quotePreview('1\n2\n3\n4', 2), '1\n2\n…');
  });
});
