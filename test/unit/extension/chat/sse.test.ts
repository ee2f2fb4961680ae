import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { interpretChunk, normalizeCitations } from '../../../../extension/chat/chatChunk';
import { readSseData } from '../../../../shared/sse';

/** The data of each event the chat client reads, from the chunks the network delivered. */
async function dataOf(chunks: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(
    (async function* () {
      yield* chunks;
    })(),
  ))
    out.push(data);
  return out;
}

describe('SSE reading (shared/sse.ts, as the chat client uses it)', () => {
  it('splits data events at blank lines and ignores comments', async () => {
    assert.deepEqual(await dataOf([': ping\n\ndata: {"a":1}\n\ndata: [DONE]\n\n']), [
      '{"a":1}',
      '[DONE]',
    ]);
  });

  it('reassembles events split across chunks, including CRLF split in the middle', async () => {
    const text = 'event: message\r\ndata: hello\r\n\r\ndata: world\r\n\r\n';
    assert.deepEqual(await dataOf([...text]), ['hello', 'world']);
  });

  it('joins multi-line data and flushes a last event without its blank line', async () => {
    assert.deepEqual(await dataOf(['data: a\ndata: b\n']), ['a\nb']);
  });

  it('keeps a field without a space after the colon', async () => {
    assert.deepEqual(await dataOf(['data:{"x":2}\n\n']), ['{"x":2}']);
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
  it('yields the same events wherever the stream is split, with LF or CRLF', async () => {
    const data = fc.string({ maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
    await fc.assert(
      fc.asyncProperty(
        fc.array(data, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(200), { maxLength: 8 }),
        async (payloads, eol, cuts) => {
          const wire = payloads.map((p) => `: c${eol}data: ${p}${eol}${eol}`).join('');
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const to of [...points, wire.length]) {
            chunks.push(wire.slice(from, to));
            from = to;
          }
          assert.deepEqual(await dataOf(chunks), payloads);
        },
      ),
    );
  });
});
