// url_citation annotations: which citations become annotations, and that their indices point
// at each citation's own line of the Sources list (or at the answer when no list is appended).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  chatAnnotations,
  citationSpans,
  responseAnnotations,
} from '../../../bridge/chat/annotations.js';
import { type Citation, sourcesMarkdown } from '../../../bridge/chat/completion.js';

const ANSWER = 'Install it with `npm install @acme/rocket`.';
const CITATIONS: Citation[] = [
  { id: 1, title: 'Installing', url: 'https://docs.example/install' },
  { id: 2, title: null, url: null },
  { id: 3, title: null, url: 'http://docs.example/routing' },
  { id: 4, title: 'Local file', url: 'file:///etc/passwd' },
];

describe('citation annotations', () => {
  it('each http(s) citation spans its own line of the Sources list', () => {
    const text = ANSWER + sourcesMarkdown(CITATIONS);
    const spans = citationSpans(text, CITATIONS, ANSWER.length);
    assert.deepEqual(
      spans.map((s) => text.slice(s.start_index, s.end_index)),
      [
        '1. [Installing](https://docs.example/install)',
        '3. [http://docs.example/routing](http://docs.example/routing)',
      ],
    );
    assert.deepEqual(
      spans.map((s) => [s.url, s.title]),
      [
        ['https://docs.example/install', 'Installing'],
        ['http://docs.example/routing', 'http://docs.example/routing'],
      ],
      'a missing title falls back to the url; url-less and non-http citations are left out',
    );
  });

  it('without a Sources list each annotation spans the answer', () => {
    const spans = citationSpans(ANSWER, CITATIONS, undefined);
    assert.deepEqual(
      spans.map((s) => [s.start_index, s.end_index]),
      [
        [0, ANSWER.length],
        [0, ANSWER.length],
      ],
    );
  });

  it('no citations, no annotations', () => {
    assert.deepEqual(citationSpans(ANSWER, undefined), []);
    assert.deepEqual(citationSpans(ANSWER, []), []);
  });

  it('indices stay on the right line whatever the answer and titles hold', () => {
    const citation = fc.record({
      id: fc.nat(),
      title: fc.option(fc.string()),
      url: fc.option(fc.webUrl()),
    });
    fc.assert(
      fc.property(fc.string(), fc.array(citation, { maxLength: 6 }), (answer, citations) => {
        const text = answer + sourcesMarkdown(citations);
        const withUrl = citations.filter((c) => c.url);
        const spans = citationSpans(text, citations, answer.length);
        assert.equal(spans.length, withUrl.length);
        for (const [i, s] of spans.entries()) {
          const line = text.slice(s.start_index, s.end_index);
          assert.ok(s.start_index >= answer.length, 'inside the Sources list');
          assert.ok(!line.includes('\n'), 'one line');
          const n = citations.indexOf(withUrl[i]!) + 1;
          assert.ok(line.startsWith(`${n}. `), `line ${n}: ${line}`);
        }
      }),
    );
  });

  it('chat completions nest the span under url_citation; the Responses API keeps it flat', () => {
    const [span] = citationSpans(ANSWER, CITATIONS.slice(0, 1));
    assert.ok(span);
    assert.deepEqual(chatAnnotations([span]), [{ type: 'url_citation', url_citation: span }]);
    assert.deepEqual(responseAnnotations([span]), [{ type: 'url_citation', ...span }]);
  });
});
