// Citation data is untrusted: only absolute http(s) URLs survive (as the WHATWG parser reads
// them, so no disguise of another scheme gets through), titles become one line of plain text.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  plainTitle,
  safeHttpUrl,
} from '../../../bridge/upstream/safe-links.js';

/** URLs a browser or an editor would follow to something other than a web page. */
const HOSTILE_URLS = [
  'javascript:alert(document.cookie)',
  'JavaScript:alert(1)',
  'JAVASCRIPT:alert(1)',
  ' javascript:alert(1)',
  '\tjavascript:alert(1)',
  '\u0000javascript:alert(1)',
  '\u0001\u001fjavascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  'javascript\t:alert(1)',
  '\u00a0javascript:alert(1)',
  'jav&#x09;ascript:alert(1)',
  'javascript&colon;alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:text/html,<script>alert(1)</script>',
  ' DATA:text/html,x',
  'vbscript:msgbox(1)',
  'vscode://vscode.git/clone?url=https://evil.example/repo',
  'vscode-insiders://file/etc/passwd',
  'command:workbench.action.terminal.new',
  'file:///etc/passwd',
  'ftp://evil.example/x',
  'mailto:someone@example.com',
  'blob:https://evil.example/uuid',
  'chrome://settings',
  '//evil.example/protocol-relative',
  '/relative/page',
  '../up',
  '#fragment',
  '?q=1',
  'docs.acme-rocket.example/guide',
  'https//missing-colon.example',
  'http://',
  'https:// space.example',
  'not a url at all',
  '',
  '   ',
  'https://user:pass@docs.example/',
  'https://docs.acme-rocket.example@evil.example/',
  `https://x.example/${'a'.repeat(MAX_URL_LENGTH)}`,
];

describe('safeHttpUrl', () => {
  for (const url of HOSTILE_URLS) {
    it(`drops ${JSON.stringify(url.slice(0, 60))}`, () => {
      assert.equal(safeHttpUrl(url), null);
    });
  }

  it('drops anything that is not a string', () => {
    for (const v of [undefined, null, 42, true, {}, [], ['https://x.example/']]) {
      assert.equal(safeHttpUrl(v), null, JSON.stringify(v));
    }
  });

  it('keeps http and https URLs, normalised as a browser reads them', () => {
    const cases: Array<[string, string]> = [
      ['https://docs.acme-rocket.example/guide', 'https://docs.acme-rocket.example/guide'],
      ['http://docs.example/a?b=c#d', 'http://docs.example/a?b=c#d'],
      ['HTTPS://Docs.Example/Path', 'https://docs.example/Path'],
      ['  https://docs.example/lead-and-trail  ', 'https://docs.example/lead-and-trail'],
      ['https://docs.example/my doc.pdf', 'https://docs.example/my%20doc.pdf'],
      ['https://docs.example/<x>', 'https://docs.example/%3Cx%3E'],
      ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
      ['http://[::1]:8080/x', 'http://[::1]:8080/x'],
      ['https://docs.example', 'https://docs.example/'],
    ];
    for (const [input, expected] of cases) assert.equal(safeHttpUrl(input), expected, input);
  });

  it('whatever the input, the result is null or an http(s) URL that parses to itself', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.constantFrom(...HOSTILE_URLS),
          fc
            .tuple(fc.constantFrom('', ' ', '\t', '\u0000'), fc.string(), fc.webUrl())
            .map(([a, b, c]) => a + b + c),
        ),
        (raw) => {
          const url = safeHttpUrl(raw);
          if (url === null) return;
          const parsed = new URL(url);
          assert.ok(parsed.protocol === 'http:' || parsed.protocol === 'https:', url);
          assert.equal(parsed.href, url);
          assert.equal(parsed.username + parsed.password, '');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('plainTitle', () => {
  it('is null for non-strings and blank text', () => {
    for (const v of [undefined, null, 1, {}, '', '   ', '\n\t\r', '\u202e\u2066']) {
      assert.equal(plainTitle(v), null, JSON.stringify(v));
    }
  });

  it('keeps ordinary titles as they are', () => {
    assert.equal(plainTitle('Installing Acme Rocket'), 'Installing Acme Rocket');
    assert.equal(
      plainTitle('Config: `port` & *env* | v2.0 日本 🚀'),
      'Config: `port` & *env* | v2.0 日本 🚀',
    );
  });

  it('is one line: line breaks, tabs and control characters become single spaces', () => {
    assert.equal(
      plainTitle(' Top\r\n# Heading\u2028next\u0000x\u0085y\tz '),
      'Top # Heading next x y z',
    );
  });

  it('drops bidirectional controls', () => {
    assert.equal(plainTitle('invoice\u202Efdp.exe'), 'invoicefdp.exe');
    assert.equal(plainTitle('a\u2066b\u2069c\u200fd'), 'abcd');
  });

  it(`is at most ${MAX_TITLE_LENGTH} characters, never splitting a surrogate pair`, () => {
    assert.equal(plainTitle('x'.repeat(10_000))?.length, MAX_TITLE_LENGTH);
    const emoji = plainTitle('🚀'.repeat(1000)) ?? '';
    assert.equal(Array.from(emoji).length, MAX_TITLE_LENGTH);
    assert.ok(!/[\ud800-\udbff]$/.test(emoji), 'no lone high surrogate at the end');
  });
});
