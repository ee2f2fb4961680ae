// Citations in OpenAI's standard shape on chat completions: `message.annotations` on a whole
// answer, `delta.annotations` on the last chunk of a stream, each a url_citation whose indices
// point at the cited Sources entry (or at the answer under --citations field).
import assert from 'node:assert/strict';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { answerFor, citationById } from '../../bridge/simulator/knowledge.js';
import { CITED_PROMPT, type Stack, startStack, withStack } from './harness.js';

const MESSAGES = [{ role: 'user' as const, content: CITED_PROMPT }];
const URLS = answerFor(CITED_PROMPT).citationIds.map((id) => citationById(id)?.url);

interface UrlCitation {
  type: 'url_citation';
  url_citation: { url: string; title: string; start_index: number; end_index: number };
}

describe('chat completions: url_citation annotations', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('a whole answer carries message.annotations pointing at its Sources entries', async () => {
    const res = await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
    const message = res.choices[0]!.message;
    const annotations = (message.annotations ?? []) as UrlCitation[];
    assert.deepEqual(
      annotations.map((a) => a.url_citation.url),
      URLS,
    );
    for (const { url_citation: c } of annotations) {
      const entry = message.content!.slice(c.start_index, c.end_index);
      assert.match(entry, /^\d+\. \[/, entry);
      assert.ok(entry.includes(c.url));
    }
  });

  it('a stream carries them as delta.annotations on its last chunk', async () => {
    const stream = await stack
      .client()
      .chat.completions.create({ model: 'x', messages: MESSAGES, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    // openai-node's Delta type has no `annotations` (OpenAI sends them on whole messages only).
    const annotationsOf = (c: ChatCompletionChunk) =>
      (c.choices[0]?.delta as { annotations?: UrlCitation[] } | undefined)?.annotations;
    const withAnnotations = chunks.filter(annotationsOf);
    assert.equal(withAnnotations.length, 1);
    const last = withAnnotations[0]!;
    assert.equal(last.choices[0]?.finish_reason, 'stop', 'on the finishing chunk');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const annotations = annotationsOf(last)!;
    assert.deepEqual(
      annotations.map((a) => a.url_citation.url),
      URLS,
    );
    assert.ok(text.slice(annotations[0]!.url_citation.start_index).startsWith('1. ['));
  });

  it('under --citations field they span the answer, which has no Sources list', () =>
    withStack({ bridge: { citations: 'field' } }, async (s) => {
      const res = await s.client().chat.completions.create({ model: 'x', messages: MESSAGES });
      const message = res.choices[0]!.message;
      const annotations = (message.annotations ?? []) as UrlCitation[];
      assert.deepEqual(
        annotations.map((a) => a.url_citation.url),
        URLS,
      );
      assert.deepEqual(
        [annotations[0]!.url_citation.start_index, annotations[0]!.url_citation.end_index],
        [0, message.content!.length],
      );
    }));

  it('an answer without citations has no annotations field', async () => {
    const res = await stack
      .client()
      .chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'zzqx' }] });
    assert.equal(res.choices[0]!.message.annotations, undefined);
  });
});
