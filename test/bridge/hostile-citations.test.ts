// Citations the bridge did not write: the simulator serves pages whose `url` is `javascript:`,
// `data:text/html`, `vscode://`, disguised or relative, and whose titles hold Markdown and HTML.
// Only http(s) links may leave the bridge: in the `citations` field such a url is null, and the
// appended Sources list, rendered by a permissive Markdown renderer, holds only the safe link and
// each title as its own plain text. Streaming and non-streaming alike.
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { isRecord, type Stack, startStack } from './harness.js';

const md = new MarkdownIt({ html: true, linkify: true });

interface Page {
  url: string | null;
  title: string | null;
}

/** One hostile page per knowledge-base citation id; 12076 is the one safe link. */
const PAGES: Record<number, Page> = {
  12071: { url: 'javascript:alert(document.cookie)', title: 'Install](javascript:alert(1))' },
  12072: {
    url: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    title: '<script>alert(1)</script><img src=x onerror=alert(1)>',
  },
  12073: { url: 'vscode://vscode.git/clone?url=https://evil.example/r', title: 'Mw\n# Owned' },
  12074: {
    url: ' JAVA\tSCRIPT:alert(1)',
    title: '*Config* `code` ![i](https://evil.example/i.png)',
  },
  12075: { url: '/relative/deploy', title: null },
  12076: { url: 'https://docs.acme-rocket.example/guides/testing (v2)', title: 'Testing > all' },
};
const SAFE_URL = 'https://docs.acme-rocket.example/guides/testing%20(v2)';

/** Each prompt is answered with two of the citations above. */
const PROMPTS = [
  'How do I install and deploy Acme Rocket?', // 12071, 12075
  'How do routes and middleware work?', // 12072, 12073
  'Which config options help testing?', // 12074, 12076
];

interface Cited {
  id: number;
  title: string | null;
  url: string | null;
}

function citationsOf(value: unknown): Cited[] {
  assert.ok(isRecord(value) && Array.isArray(value.citations), 'the answer has citations');
  return value.citations as Cited[];
}

function checkCitations(citations: Cited[]): void {
  assert.equal(citations.length, 2);
  for (const c of citations) {
    const page = PAGES[c.id];
    assert.ok(page, `citation ${c.id} is one of the served pages`);
    if (c.id === 12076) {
      assert.equal(new URL(c.url ?? '').href, new URL(SAFE_URL).href, 'the https link stays');
    } else {
      assert.equal(c.url, null, `citation ${c.id}: ${JSON.stringify(page.url)} is dropped`);
    }
    if (c.title !== null) assert.doesNotMatch(c.title, /[\r\n]/, 'titles are one line');
  }
}

/** The Sources list, rendered: the only link is the https one; titles are text. */
function checkSources(content: string, ids: number[]): void {
  const at = content.lastIndexOf('\n\n**Sources**\n');
  assert.ok(at >= 0, `a Sources list: ${content}`);
  const html = md.render(content.slice(at));
  const hrefs = [...html.matchAll(/<a\s+href="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(
    hrefs,
    ids.includes(12076) ? [SAFE_URL.replace('(', '%28').replace(')', '%29')] : [],
  );
  assert.doesNotMatch(html, /<(img|script|h[1-6]|em|code|pre|blockquote)\b/, html);
  // Hostile words may appear as text (a title says "javascript:"), never in a tag.
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    assert.match(tag, /^<(p|strong|ol|li|a href="https:[^"]*")>$/, `only plain tags: ${html}`);
  }
  assert.equal(html.match(/<li>/g)?.length, 2, `one line per citation: ${html}`);
  for (const id of ids) {
    const title = PAGES[id]?.title;
    if (title) {
      const text = html
        .replace(/<[^>]*>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      assert.ok(
        text.includes(title.replace(/\n/g, ' ')),
        `title ${JSON.stringify(title)} shown as text: ${text}`,
      );
    }
  }
}

describe('hostile citations (only http(s) links leave the bridge)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
    for (const [id, page] of Object.entries(PAGES)) {
      if (Number(id) % 2 === 0) stack.sim.setCitation(Number(id), page);
      else {
        // The control API, as a simulator in another process is driven.
        const res = await fetch(`${stack.sim.url}/__sim/citations/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(page),
        });
        assert.equal(res.status, 200);
      }
    }
  });
  after(() => stack.close());

  for (const prompt of PROMPTS) {
    it(`non-streaming: ${prompt}`, async () => {
      const res: ChatCompletion = await stack
        .client({ maxRetries: 0 })
        .chat.completions.create({ model: 'x', messages: [{ role: 'user', content: prompt }] });
      const citations = citationsOf(res);
      checkCitations(citations);
      checkSources(
        res.choices[0]?.message.content ?? '',
        citations.map((c) => c.id),
      );
    });

    it(`streaming: ${prompt}`, async () => {
      const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
        model: 'x',
        stream: true,
        messages: [{ role: 'user', content: prompt }],
      });
      let content = '';
      let citations: Cited[] | undefined;
      for await (const chunk of stream) {
        content += chunk.choices[0]?.delta.content ?? '';
        if ('citations' in chunk) citations = citationsOf(chunk);
      }
      assert.ok(citations, 'the last chunk carries citations');
      checkCitations(citations);
      checkSources(
        content,
        citations.map((c) => c.id),
      );
    });
  }
});
