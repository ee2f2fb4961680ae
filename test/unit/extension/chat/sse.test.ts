import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { interpretChunk, normalizeCitations } from '../../../../extension/chat/chatChunk';
import { SseParser } from '../../../../extension/chat/sse';

describe('SSE parser', () => {
  it('splits data events at blank lines and ignores comments', () => {
    const parser = new SseParser();
    const events = parser.push(': ping\n\ndata: {"a":1}\n\ndata: [DONE]\n\n');
    assert.deepEqual(
      events.map((e) => e.data),
      ['{"a":1}', '[DONE]'],
    );
  });

  it('reassembles events split across chunks, including CRLF split in the middle', () => {
    const parser = new SseParser();
    const text = 'event: message\r\ndata: hello\r\n\r\ndata: world\r\n\r\n';
    const events = [];
    for (const char of text) events.push(...parser.push(char));
    assert.deepEqual(
      events.map((e) => [e.event, e.data]),
      [
        ['message', 'hello'],
        ['message', 'world'],
      ],
    );
  });

  it('joins multi-line data and flushes a last event without its blank line', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: a\ndata: b\n'), []);
    assert.deepEqual(
      parser.flush().map((e) => e.data),
      ['a\nb'],
    );
  });

  it('keeps a field without a space after the colon', () => {
    const parser = new SseParser();
    assert.equal(parser.push('data:{"x":2}\n\n')[0]?.data, '{"x":2}');
  });
});

describe('chat chunk meaning', () => {
  it('reads a text delta', () => {
    const chunk = JSON.stringify({
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
    });
    assert.deepEqual(interpretChunk(chunk), { delta: 'Hi' });
  });

  it('reads citations from the final chunk', () => {
    const chunk = JSON.stringify({
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      citations: [
        { id: 1, title: 'Guide', url: 'https://example.com/guide' },
        { id: 2, title: null, url: 'https://example.com/b' },
        { id: 3, title: 'Bad', url: 'javascript:alert(1)' },
      ],
    });
    assert.deepEqual(interpretChunk(chunk).citations, [
      { id: '1', title: 'Guide', url: 'https://example.com/guide' },
      { id: '2', title: 'https://example.com/b', url: 'https://example.com/b' },
    ]);
  });

  it('reads an in-stream error and the end marker', () => {
    assert.deepEqual(
      interpretChunk(JSON.stringify({ error: { message: 'Agent with id 1 not found' } })),
      { error: 'Agent with id 1 not found' },
    );
    assert.deepEqual(interpretChunk('[DONE]'), { done: true });
    assert.deepEqual(interpretChunk('not json'), {});
  });

  it('drops malformed citations', () => {
    assert.deepEqual(normalizeCitations('x'), []);
    assert.deepEqual(normalizeCitations([null, { url: 5 }]), []);
  });
});

describe('SSE parser (property)', () => {
  it('yields the same events wherever the stream is split, with LF or CRLF', () => {
    const data = fc.string({ maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
    fc.assert(
      fc.property(
        fc.array(data, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(200), { maxLength: 8 }),
        (payloads, eol, cuts) => {
          const wire = payloads.map((p) => `: c${eol}data: ${p}${eol}${eol}`).join('');
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
          const parser = new SseParser();
          const events = [];
          let from = 0;
          for (const to of [...points, wire.length]) {
            events.push(...parser.push(wire.slice(from, to)));
            from = to;
          }
          events.push(...parser.flush());
          assert.deepEqual(
            events.map((e) => e.data),
            payloads,
          );
        },
      ),
    );
  });
});
