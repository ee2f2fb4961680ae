// The non-streaming chat.completion: OpenAI's shape, one choice, the project's model, no usage,
// and CustomGPT.ai's citations both as a top-level `citations` field and (by default) as a
// Sources list appended to the content.
import assert from 'node:assert/strict';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import {
  CITED_PROMPT,
  type CitationRecord,
  fetchCitation,
  isRecord,
  PROJECT_ID,
  PROJECT_MODEL,
  postRaw,
  type Stack,
  startStack,
  withStack,
} from './harness.js';

const MESSAGES = [{ role: 'user' as const, content: CITED_PROMPT }];

function citationsOf(body: unknown): CitationRecord[] {
  assert.ok(isRecord(body), 'body is an object');
  const list = body.citations;
  assert.ok(Array.isArray(list), `top-level citations array, got ${JSON.stringify(list)}`);
  return list.map((c: unknown) => {
    assert.ok(isRecord(c), 'citation is an object');
    assert.ok(
      'id' in c && 'title' in c && 'url' in c,
      `citation has id/title/url: ${JSON.stringify(c)}`,
    );
    return { id: c.id as number, title: c.title as string | null, url: c.url as string | null };
  });
}

async function expectedCitations(stack: Stack): Promise<CitationRecord[]> {
  const ids = answerFor(CITED_PROMPT).citationIds;
  assert.ok(ids.length > 0, 'precondition: the simulator cites sources for this prompt');
  return Promise.all(ids.map((id) => fetchCitation(stack.sim, PROJECT_ID, id)));
}

describe('non-streaming response', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('has the chat.completion shape with exactly one choice and no usage', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'gpt-4', messages: MESSAGES },
      { token: stack.bridge.token },
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(typeof body.id, 'string');
    assert.ok((body.id as string).length > 0);
    assert.equal(body.object, 'chat.completion');
    assert.ok(Number.isInteger(body.created), 'created is an integer');
    const created = body.created as number;
    assert.ok(Math.abs(created - before) < 3600, `created is unix seconds, got ${created}`);
    assert.equal(body.model, PROJECT_MODEL);
    assert.equal('usage' in body, false, 'no usage key');
    const choices = body.choices as Record<string, unknown>[];
    assert.equal(choices.length, 1);
    const choice = choices[0]!;
    assert.equal(choice.index, 0);
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(choice.logprobs, null, 'logprobs: null, as strict clients expect');
    const message = choice.message as Record<string, unknown>;
    assert.equal(message.role, 'assistant');
    assert.equal(typeof message.content, 'string');
    assert.ok((message.content as string).includes(answerFor(CITED_PROMPT).text));
  });

  it('the SDK parses it: role, content, finish_reason, model', async () => {
    const res = await stack
      .client()
      .chat.completions.create({ model: 'gpt-4', messages: MESSAGES });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, PROJECT_MODEL);
    assert.equal(res.choices.length, 1);
    assert.equal(res.choices[0]?.message.role, 'assistant');
    assert.equal(res.choices[0]?.finish_reason, 'stop');
    assert.equal(res.usage, undefined);
  });

  it('ids differ between two completions', async () => {
    const a = await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
    const b = await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.notEqual(a.id, b.id);
  });

  it("citations: top-level [{id,title,url}] and, by default ('append'), a Sources list", async () => {
    const res = await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
    const expected = await expectedCitations(stack);
    const got = citationsOf(res);
    assert.deepEqual(
      got.map((c) => ({ id: String(c.id), title: c.title, url: c.url })),
      expected.map((c) => ({ id: String(c.id), title: c.title, url: c.url })),
    );
    const content = res.choices[0]?.message.content ?? '';
    const answer = answerFor(CITED_PROMPT).text;
    const answerEnd = content.indexOf(answer) + answer.length;
    assert.ok(answerEnd >= answer.length, 'content holds the answer');
    const tail = content.slice(answerEnd);
    assert.match(tail, /sources/i, 'a Sources heading follows the answer');
    for (const c of expected) {
      if (c.title) assert.ok(tail.includes(c.title), `Sources lists "${c.title}"`);
      if (c.url) assert.ok(tail.includes(c.url), `Sources lists ${c.url}`);
    }
  });

  it('a prompt without citations gets an empty citations list and no Sources list', async () => {
    const prompt = 'Tell me a short story about a purple giraffe eating soup.';
    const cited = answerFor(prompt).citationIds;
    const res = await stack.client().chat.completions.create({
      model: 'x',
      messages: [{ role: 'user', content: prompt }],
    });
    const content = res.choices[0]?.message.content ?? '';
    assert.ok(content.includes(answerFor(prompt).text));
    if (cited.length === 0) {
      assert.deepEqual(citationsOf(res), []);
      assert.doesNotMatch(content.slice(answerFor(prompt).text.length), /sources/i);
    }
  });
});

describe("non-streaming response with citations: 'field'", () => {
  it('keeps citations in the field and out of the content', () =>
    withStack({ bridge: { citations: 'field' } }, async (stack) => {
      const res = await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
      const expected = await expectedCitations(stack);
      assert.deepEqual(
        citationsOf(res).map((c) => String(c.id)),
        expected.map((c) => String(c.id)),
      );
      const content = res.choices[0]?.message.content ?? '';
      assert.ok(content.includes(answerFor(CITED_PROMPT).text));
      for (const c of expected) {
        if (c.url) assert.ok(!content.includes(c.url), `content must not list ${c.url}`);
      }
      const after = content.slice(content.indexOf(answerFor(CITED_PROMPT).text));
      assert.doesNotMatch(after.slice(answerFor(CITED_PROMPT).text.length), /sources/i);
    }));
});

describe('citations the upstream cannot resolve', () => {
  for (const citations of ['append', 'field'] as const) {
    it(`(${citations}) the answer still succeeds, ids kept, no "null"/"undefined" in the content`, () =>
      withStack({ bridge: { citations } }, async (stack) => {
        stack.sim.injectFault({ kind: 'status', status: 500, match: '/citations/', times: 50 });
        const res = await stack
          .client({ maxRetries: 0 })
          .chat.completions.create({ model: 'x', messages: MESSAGES });
        const content = res.choices[0]?.message.content ?? '';
        assert.ok(content.includes(answerFor(CITED_PROMPT).text));
        assert.doesNotMatch(content, /\bnull\b|\bundefined\b|\[object Object\]/);
        assert.deepEqual(
          citationsOf(res).map((c) => String(c.id)),
          answerFor(CITED_PROMPT).citationIds.map(String),
        );
      }));
  }
});
