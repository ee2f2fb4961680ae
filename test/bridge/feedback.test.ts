// Message feedback end to end: an answer names its upstream prompt id (the x-customgpt-prompt-id
// header of a JSON answer, `prompt_id` on a stream's final chunk), and PUT .../feedback with that
// id reaches CustomGPT.ai's feedback API (the simulator records it).
import assert from 'node:assert/strict';
import { PROMPT_ID_HEADER, SESSION_HEADER } from '../../bridge/protocol.js';
import {
  CITED_PROMPT,
  PROJECT_ID,
  postRaw,
  readOpenAIError,
  type Stack,
  startStack,
} from './harness.js';

const feedbackPath = (session: string, promptId: number | string, project = PROJECT_ID) =>
  `/api/v1/projects/${project}/conversations/${session}/messages/${promptId}/feedback`;

describe('message feedback (prompt id + PUT .../feedback)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  async function askJson(): Promise<{ session: string; promptId: number }> {
    const { response } = await stack
      .client({ maxRetries: 0 })
      .chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: CITED_PROMPT }],
      })
      .withResponse();
    const session = response.headers.get(SESSION_HEADER);
    const promptId = Number(response.headers.get(PROMPT_ID_HEADER));
    assert.ok(session, 'the answer names its session');
    assert.ok(Number.isInteger(promptId) && promptId > 0, 'the answer names its prompt id');
    return { session, promptId };
  }

  it('a JSON answer carries the upstream prompt id in x-customgpt-prompt-id', async () => {
    const { session, promptId } = await askJson();
    // The simulator numbers messages; the header names the one just stored in that session.
    const res = await fetch(
      `${stack.sim.url}/api/v1/projects/${PROJECT_ID}/conversations/${session}/messages/${promptId}`,
      { headers: { authorization: `Bearer ${stack.sim.apiKey}` } },
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: { user_query: string } };
    assert.equal(body.data.user_query, CITED_PROMPT);
  });

  it("a stream's final chunk (the one with finish_reason) carries prompt_id", async () => {
    const stream = await stack.client({ maxRetries: 0 }).chat.completions.create({
      model: 'x',
      stream: true,
      messages: [{ role: 'user', content: CITED_PROMPT }],
    });
    const withId: unknown[] = [];
    let finishChunkId: unknown;
    for await (const chunk of stream) {
      const raw = chunk as unknown as Record<string, unknown>;
      if ('prompt_id' in raw) withId.push(raw.prompt_id);
      if (chunk.choices[0]?.finish_reason) finishChunkId = raw.prompt_id;
    }
    assert.equal(withId.length, 1, 'exactly one chunk carries prompt_id');
    assert.equal(typeof finishChunkId, 'number');
  });

  it('PUT .../feedback reaches the upstream feedback API and is recorded there', async () => {
    const { session, promptId } = await askJson();
    const res = await postRaw(
      stack.bridge.origin,
      feedbackPath(session, promptId),
      { reaction: 'disliked' },
      { token: stack.bridge.token, method: 'PUT' },
    );
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as {
      status: string;
      data: { id: number; response_feedback: { reaction: string } };
    };
    assert.equal(body.status, 'success');
    assert.equal(body.data.id, promptId);
    assert.equal(body.data.response_feedback.reaction, 'disliked');
    const recorded = stack.sim.feedback.at(-1);
    assert.deepEqual(recorded && { ...recorded, at: 0 }, {
      projectId: Number(PROJECT_ID),
      sessionId: session,
      promptId,
      reaction: 'disliked',
      at: 0,
    });
    // The upstream call carried the simulator's key, never the bridge token.
    const put = stack.sim.requests.filter((r) => r.method === 'PUT').at(-1);
    assert.equal(put?.authorized, true);
  });

  it('needs the bridge token', async () => {
    const res = await postRaw(
      stack.bridge.origin,
      feedbackPath('abc', 1),
      { reaction: 'liked' },
      {
        method: 'PUT',
      },
    );
    assert.equal(res.status, 401);
    await readOpenAIError(res);
  });

  it('refuses a reaction CustomGPT.ai does not know, without calling upstream', async () => {
    const since = stack.sim.requests.length;
    for (const body of [{ reaction: 'love' }, {}, { reaction: 1 }, []]) {
      const res = await postRaw(stack.bridge.origin, feedbackPath('abc', 1), body, {
        token: stack.bridge.token,
        method: 'PUT',
      });
      assert.equal(res.status, 400, JSON.stringify(body));
      const { body: error } = await readOpenAIError(res);
      assert.equal(error.error.param, 'reaction');
    }
    assert.equal(stack.sim.requests.length, since);
  });

  it('malformed ids in the path are a 404 (no route), never an upstream call', async () => {
    const since = stack.sim.requests.length;
    for (const path of [
      feedbackPath('abc', 'x1'),
      feedbackPath('a/b', 1),
      feedbackPath('abc', 1, '10%2F01'),
    ]) {
      const res = await postRaw(
        stack.bridge.origin,
        path,
        { reaction: 'liked' },
        {
          token: stack.bridge.token,
          method: 'PUT',
        },
      );
      assert.equal(res.status, 404, path);
    }
    assert.equal(stack.sim.requests.length, since);
  });

  it('feedback on a message the upstream does not have -> 404 naming the message', async () => {
    const { session } = await askJson();
    const res = await postRaw(
      stack.bridge.origin,
      feedbackPath(session, 999999),
      { reaction: 'liked' },
      { token: stack.bridge.token, method: 'PUT' },
    );
    assert.equal(res.status, 404);
    const { body } = await readOpenAIError(res);
    assert.equal(body.error.code, 'message_not_found');
    assert.match(body.error.message, /message 999999/);
  });
});
