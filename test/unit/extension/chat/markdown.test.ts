import * as assert from 'node:assert/strict';
import { stripAppendedSources } from '../../../../extension/chat/appendedSources';
import { renderMarkdown, renderSources } from '../../../../extension/chat/markdown';

describe('safe markdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('**bold** and `code`\n\n- item');
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<li>item<\/li>/);
  });

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> <script>alert(1)</script>');
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('<script'));
    assert.match(html, /&lt;script&gt;/);
  });

  it('keeps only http(s) links', () => {
    const html = renderMarkdown(
      '[ok](https://example.com) [bad](javascript:alert(1)) [file](file:///etc/passwd) [cmd](command:workbench.action.quit)',
    );
    assert.match(html, /<a href="https:\/\/example\.com" rel="noopener noreferrer"/);
    assert.ok(!html.includes('href="javascript'));
    assert.ok(!html.includes('href="file'));
    assert.ok(!html.includes('href="command'));
  });

  it('does not load images', () => {
    assert.ok(!renderMarkdown('![pixel](https://tracker.example/p.png)').includes('<img'));
  });

  it('renders sources as an escaped list of links', () => {
    const html = renderSources([
      { id: '1', title: 'A <b>guide</b>', url: 'https://example.com/a?x=1&y="2"' },
      { id: '2', title: 'Bad', url: 'javascript:alert(1)' },
    ]);
    assert.match(html, /<ol class="sources">/);
    assert.match(html, /A &lt;b&gt;guide&lt;\/b&gt;/);
    assert.match(html, /href="https:\/\/example\.com\/a\?x=1&amp;y=&quot;2&quot;"/);
    assert.ok(!html.includes('javascript'));
    assert.equal(renderSources([]), '');
  });
});

describe('appended sources', () => {
  it('removes the Sources list the bridge appends, and nothing else', () => {
    const answer =
      'Run `npm install`.\n\n**Sources**\n1. [Installing](https://docs.example/install)\n2. [FAQ](https://docs.example/faq)\n';
    assert.equal(stripAppendedSources(answer), 'Run `npm install`.');
    const inline = 'See **Sources** below.\n\nNothing else.';
    assert.equal(stripAppendedSources(inline), inline);
  });
});
