// The Sources list rendered by a real Markdown renderer (markdown-it with HTML and linkify on,
// the most permissive settings an editor tool might use): hostile citations produce no link
// other than the http(s) one, no image, heading, HTML, emphasis or code.
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { type Citation, sourcesMarkdown } from '../../../bridge/chat/completion.js';
import {
  escapeLinkText,
  escapeMarkdownText,
  markdownLinkDestination,
} from '../../../bridge/chat/markdown.js';

const md = new MarkdownIt({ html: true, linkify: true });

const HOSTILE_TITLES = [
  'Docs](javascript:alert(1))',
  '[Click](javascript:alert(1))',
  '![pixel](https://evil.example/t.png)',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '# Heading',
  'first\n# Heading on its own line',
  'first\n\n<script>alert(1)</script>',
  'first\n===',
  '*bold* _it_ **strong** ~~gone~~',
  '`code` and ```fence',
  '&lt;b&gt; &#106;avascript',
  '> quote',
  '- item',
  '+ item',
  '1. item',
  '2) item',
  '| a | b |',
  '<https://evil.example>',
  'www.evil.example and https://evil.example/x',
  'x\\](javascript:alert(1))',
  '[ref]: javascript:alert(1)',
];

function render(citations: Citation[]): string {
  return md.render(sourcesMarkdown(citations));
}

describe('sourcesMarkdown under a Markdown renderer', () => {
  for (const title of HOSTILE_TITLES) {
    it(`title ${JSON.stringify(title)} renders as its own text, nothing more`, () => {
      const html = render([{ id: 1, title, url: 'https://docs.example/page' }]);
      const links = [...html.matchAll(/<a\s[^>]*>/g)].map((m) => m[0]);
      assert.deepEqual(links, ['<a href="https://docs.example/page">'], html);
      assert.doesNotMatch(
        html,
        /<(img|h[1-6]|script|em|code|pre|blockquote|del|s|table|hr)\b/,
        html,
      );
      assert.equal(html.match(/<strong>/g)?.length, 1, `only the Sources heading is bold: ${html}`);
      assert.equal(html.match(/<li>/g)?.length, 1, `one list item: ${html}`);
      assert.equal(html.match(/<(ol|ul)\b/g)?.length, 1, `no nested list: ${html}`);
    });

    it(`title ${JSON.stringify(title)} without a url: no link at all`, () => {
      const html = render([{ id: 1, title, url: null }]);
      assert.doesNotMatch(
        html,
        /<(a|img|h[1-6]|script|em|code|pre|blockquote|del|s|table)\b/,
        html,
      );
    });
  }

  it('a javascript: url with a harmless title: the title, no link', () => {
    const html = render([{ id: 1, title: 'Guide', url: 'javascript:alert(1)' }]);
    assert.doesNotMatch(html, /<a\b/, html);
    assert.match(html, /<li>Guide<\/li>/);
  });

  it('an http url with parentheses and backslashes stays one link to that url', () => {
    const html = render([{ id: 1, title: 'T', url: 'https://x.example/a_(b)\\c?q=)' }]);
    const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(hrefs.length, 1, html);
    assert.equal(new URL(hrefs[0]!).href, new URL('https://x.example/a_%28b%29/c?q=%29').href);
  });
});

describe('escapeMarkdownText', () => {
  it('renders back to exactly the text (one line)', () => {
    for (const text of HOSTILE_TITLES) {
      const html = md.renderInline(escapeMarkdownText(text));
      const decoded = html
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      assert.equal(decoded, text.replace(/\n+/g, ' '), text);
    }
  });
});

describe('markdownLinkDestination', () => {
  it('percent-encodes what could end or escape a destination', () => {
    assert.equal(
      markdownLinkDestination('https://x.example/a (b)\\<c>'),
      'https://x.example/a%20%28b%29%5C%3Cc%3E',
    );
  });
});

describe('escapeLinkText', () => {
  it('keeps a URL readable as link text and still renders exactly the text', () => {
    const url = 'https://docs.example/a_b?x=1&y=2';
    const md = `[${escapeLinkText(url)}](${url})`;
    assert.equal(md.includes('https://docs.example/'), true, md);
    const html = new MarkdownIt({ html: true, linkify: true }).renderInline(md);
    assert.equal((html.match(/<a /g) ?? []).length, 1, html);
    assert.equal(html.includes('>https://docs.example/a_b?x=1&amp;y=2</a>'), true, html);
  });
});
