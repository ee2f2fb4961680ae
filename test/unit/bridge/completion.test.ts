// What the client receives: chat.completion bodies, chat.completion.chunk SSE frames, the
// error frame and the Markdown sources list.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ChunkFrames,
  type Citation,
  type CompletionHead,
  completionBody,
  DONE_FRAME,
  errorFrame,
  newHead,
  PING_FRAME,
  sourcesMarkdown,
} from '../../../bridge/chat/completion.js';

const HEAD: CompletionHead = { id: 'chatcmpl-abc123', created: 1_700_000_000, model: 'gpt-4o' };

/** One SSE frame: exactly `data: <json>\n\n` with no other line break; returns the JSON. */
function parseFrame(frame: string): Record<string, unknown> {
  assert.ok(frame.startsWith('data: '), `frame must start with "data: ": ${frame}`);
  assert.ok(frame.endsWith('\n\n'), 'frame must end with a blank line');
  const json = frame.slice('data: '.length, -2);
  assert.ok(!/[\r\n]/.test(json), 'the JSON of a frame must be on one line');
  const parsed: unknown = JSON.parse(json);
  assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed));
  return parsed as Record<string, unknown>;
}

const chunkOf = (
  head: CompletionHead,
  choices: unknown[],
  extra: Record<string, unknown> = {},
) => ({
  id: head.id,
  object: 'chat.completion.chunk',
  created: head.created,
  model: head.model,
  choices,
  ...extra,
});

const AWKWARD = [
  'plain',
  'say "hi" and \\back\\slash',
  'line one\nline two\r\n\nline four',
  'data: [DONE]\n\n',
  '</script><script>alert(1)</script>',
  'unicode: é 日本 🚀 \u2028\u2029 \u0000 \t',
  '',
  '{"not":"json"}',
];

describe('ChunkFrames', () => {
  const frames = new ChunkFrames(HEAD);

  it('role frame: first delta carries role assistant and empty content', () => {
    assert.deepEqual(
      parseFrame(frames.role()),
      chunkOf(HEAD, [
        {
          index: 0,
          delta: { role: 'assistant', content: '' },
          finish_reason: null,
          logprobs: null,
        },
      ]),
    );
  });

  for (const text of AWKWARD) {
    it(`content frame carries ${JSON.stringify(text)} exactly`, () => {
      assert.deepEqual(
        parseFrame(frames.content(text)),
        chunkOf(HEAD, [
          { index: 0, delta: { content: text }, finish_reason: null, logprobs: null },
        ]),
      );
    });
  }

  it('content frames survive any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const chunk = parseFrame(frames.content(text));
        const choices = chunk.choices as Array<{ delta: { content: string } }>;
        assert.equal(choices[0]?.delta.content, text);
      }),
    );
  });

  for (const reason of ['stop', 'length'] as const) {
    it(`finish frame (${reason}) without citations: empty delta, no citations key`, () => {
      const chunk = parseFrame(frames.finish(reason, undefined));
      assert.deepEqual(
        chunk,
        chunkOf(HEAD, [{ index: 0, delta: {}, finish_reason: reason, logprobs: null }]),
      );
      assert.equal('citations' in chunk, false);
    });
  }

  it('finish frame with citations carries them top-level', () => {
    const citations: Citation[] = [
      { id: 1, title: 'Doc "one"\n', url: 'https://example.com/a?b=1&c=2' },
      { id: 2, title: null, url: null },
    ];
    assert.deepEqual(
      parseFrame(frames.finish('stop', citations)),
      chunkOf(HEAD, [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }], {
        citations,
      }),
    );
  });

  it('finish frame with an empty citations list keeps the empty list', () => {
    assert.deepEqual(parseFrame(frames.finish('stop', [])).citations, []);
  });

  it('usage frame: choices [] and the usage object', () => {
    const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };
    assert.deepEqual(parseFrame(frames.usage(usage)), chunkOf(HEAD, [], { usage }));
  });

  it('only the usage frame carries a usage key', () => {
    for (const f of [frames.role(), frames.content('x'), frames.finish('stop', undefined)]) {
      assert.equal('usage' in parseFrame(f), false);
    }
  });

  it('every frame of a stream shares id, created and model, even for awkward model names', () => {
    const head: CompletionHead = { id: 'chatcmpl-"x"', created: 1, model: 'm\n"</script>' };
    const f = new ChunkFrames(head);
    for (const frame of [
      f.role(),
      f.content('a'),
      f.finish('stop', []),
      f.usage({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }),
    ]) {
      const chunk = parseFrame(frame);
      assert.deepEqual([chunk.id, chunk.created, chunk.model], [head.id, head.created, head.model]);
      assert.equal(chunk.object, 'chat.completion.chunk');
    }
  });

  it('DONE and ping frames are the SSE terminator and a comment', () => {
    assert.equal(DONE_FRAME, 'data: [DONE]\n\n');
    assert.equal(PING_FRAME, ': ping\n\n');
  });
});

describe('errorFrame', () => {
  it('is one data frame with an OpenAI error object and param null', () => {
    const frame = errorFrame({ message: 'bad "thing"\nhappened', type: 'server_error', code: 'x' });
    assert.deepEqual(parseFrame(frame), {
      error: { message: 'bad "thing"\nhappened', type: 'server_error', code: 'x', param: null },
    });
  });

  it('keeps code null', () => {
    assert.deepEqual(parseFrame(errorFrame({ message: 'm', type: 't', code: null })), {
      error: { message: 'm', type: 't', code: null, param: null },
    });
  });
});

describe('completionBody', () => {
  it('has the chat.completion shape with one choice and no usage', () => {
    const body = completionBody(HEAD, 'Hello "there"\n</script>', undefined);
    assert.deepEqual(body, {
      id: HEAD.id,
      object: 'chat.completion',
      created: HEAD.created,
      model: HEAD.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello "there"\n</script>' },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
    });
    assert.equal('usage' in body, false);
    assert.equal('citations' in body, false);
  });

  it('adds citations when given', () => {
    const citations: Citation[] = [{ id: 9, title: 'T', url: 'https://u' }];
    const body = completionBody(HEAD, '', citations);
    assert.deepEqual(body.citations, citations);
    assert.equal((body.choices as unknown[]).length, 1);
    assert.equal('usage' in body, false);
  });

  it('round-trips through JSON unchanged', () => {
    const body = completionBody(HEAD, 'é🚀', [{ id: 1, title: null, url: null }]);
    assert.deepEqual(JSON.parse(JSON.stringify(body)), body);
  });
});

describe('newHead', () => {
  it('makes chatcmpl- ids, the model given, and a whole-second timestamp', () => {
    const before = Math.floor(Date.now() / 1000);
    const head = newHead('proj-model');
    const after = Math.floor(Date.now() / 1000);
    assert.match(head.id, /^chatcmpl-[A-Za-z0-9_-]{16}$/);
    assert.equal(head.model, 'proj-model');
    assert.ok(Number.isInteger(head.created));
    assert.ok(head.created >= before && head.created <= after);
  });

  it('makes a different id each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newHead('m').id));
    assert.equal(ids.size, 50);
  });
});

describe('sourcesMarkdown', () => {
  it('is empty for no citations', () => {
    assert.equal(sourcesMarkdown([]), '');
  });

  it('numbers Markdown links under a Sources heading', () => {
    assert.equal(
      sourcesMarkdown([
        { id: 1, title: 'First doc', url: 'https://a.example/1' },
        { id: 2, title: 'Second doc', url: 'https://b.example/2' },
      ]),
      '\n\n**Sources**\n1. [First doc](https://a.example/1)\n2. [Second doc](https://b.example/2)',
    );
  });

  it('escapes brackets and turns newlines in titles into spaces', () => {
    assert.equal(
      sourcesMarkdown([{ id: 1, title: '[Guide]\nPart [2]', url: 'https://x.example' }]),
      '\n\n**Sources**\n1. [\\[Guide\\] Part \\[2\\]](https://x.example/)',
    );
  });

  it('treats a carriage return in a title like a newline', () => {
    const md = sourcesMarkdown([{ id: 1, title: 'Top\r\nBottom', url: 'https://x.example' }]);
    assert.equal(md.includes('\r'), false, JSON.stringify(md));
  });

  it('falls back to the url, readable, when the title is null', () => {
    assert.equal(
      sourcesMarkdown([{ id: 4, title: null, url: 'https://x.example/p' }]),
      '\n\n**Sources**\n1. [https://x.example/p](https://x.example/p)',
    );
  });

  it('falls back to "Source <id>" without a link when title and url are null', () => {
    assert.equal(
      sourcesMarkdown([{ id: 12074, title: null, url: null }]),
      '\n\n**Sources**\n1. Source 12074',
    );
  });

  it('shows a title without a link when only the url is null', () => {
    assert.equal(
      sourcesMarkdown([
        { id: 1, title: 'Offline doc', url: null },
        { id: 2, title: 'Online', url: 'https://o.example/' },
      ]),
      '\n\n**Sources**\n1. Offline doc\n2. [Online](https://o.example/)',
    );
  });

  it('falls back to the url when the title is empty or blank (no empty link text)', () => {
    const md = sourcesMarkdown([{ id: 3, title: '  ', url: 'https://x.example/' }]);
    assert.equal(md, '\n\n**Sources**\n1. [https://x.example/](https://x.example/)');
  });

  it('keeps a url with a space a working Markdown link destination', () => {
    const md = sourcesMarkdown([{ id: 1, title: 'Doc', url: 'https://x.example/my doc.pdf' }]);
    assert.ok(md.endsWith('(https://x.example/my%20doc.pdf)'), JSON.stringify(md));
  });

  it('percent-encodes parentheses and backslashes in the link destination', () => {
    const md = sourcesMarkdown([{ id: 1, title: 'Doc', url: 'https://x.example/a_(b)?q=\\)' }]);
    assert.ok(md.endsWith('(https://x.example/a_%28b%29?q=%5C%29)'), JSON.stringify(md));
  });

  for (const url of [
    'javascript:alert(document.cookie)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'JAVASCRIPT:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vscode://vscode.git/clone?url=https://evil.example/repo',
    'file:///etc/passwd',
    '/relative/page',
    'not a url at all',
  ]) {
    it(`a ${JSON.stringify(url)} url is not linked: the title stays as plain text`, () => {
      const md = sourcesMarkdown([{ id: 9, title: 'Guide', url }]);
      assert.equal(md, '\n\n**Sources**\n1. Guide');
    });
  }

  it('a title cannot make a link, an image, HTML, a heading or emphasis', () => {
    const titles = [
      'Docs](javascript:alert(1))',
      '![x](https://evil.example/t.png)',
      '<script>alert(1)</script><img src=x onerror=alert(1)>',
      '# Heading',
      'a\n# Heading on its own line',
      '*bold* _it_ ~~gone~~ `code` &lt;b&gt;',
      '> quote',
      '- item',
      '1. item',
      '<https://evil.example>',
      'www.evil.example and https://evil.example',
    ];
    const md = sourcesMarkdown(titles.map((title, i) => ({ id: i, title, url: null })));
    const lines = md.split('\n').slice(3);
    assert.equal(lines.length, titles.length, 'one line per citation');
    for (const [i, line] of lines.entries()) {
      const body = line.slice(`${i + 1}. `.length);
      // Outside of backslash escapes, no Markdown/HTML punctuation is left active.
      const unescaped = body.replace(/\\[!-/:-@[-`{-~]/g, '');
      assert.doesNotMatch(unescaped, /[!-/:-@[-`{-~]/, `${JSON.stringify(titles[i])} -> ${line}`);
    }
  });
});
