// Projects as models, through the official openai SDK: /v1/models lists the account's projects
// (every upstream page) as `customgpt-<projectId>`, /v1/models/{id} retrieves one, and a chat
// whose `model` names a project is answered by that project (other models: the default).
import assert from 'node:assert/strict';
import { NotFoundError } from 'openai';
import {
  isAnswerCall,
  PROJECT_ID,
  PROJECT_MODEL,
  requestsSince,
  type Stack,
  startStack,
  withStack,
} from './harness.js';

const PROJECT_MODEL_ID = `customgpt-${PROJECT_ID}`;

const MESSAGES = [{ role: 'user' as const, content: 'How do I install Acme Rocket?' }];

describe('projects as models', () => {
  let stack: Stack;
  before(async () => {
    // Two projects a page, so the three projects take two upstream pages.
    stack = await startStack({ sim: { perPage: 2 } });
  });
  after(() => stack.close());

  const answeredBy = (since: number) =>
    requestsSince(stack.sim, since)
      .filter(isAnswerCall)
      .map((r) => /\/projects\/(\d+)\//.exec(r.path)?.[1]);

  it('models.list() shows every project of the account, from every page, with its name', async () => {
    const since = stack.sim.requests.length;
    const page = await stack.client().models.list();
    const listed = page.data.map((m) => [m.id, (m as unknown as { name: string }).name]);
    assert.deepEqual(
      new Map(listed as [string, string][]),
      new Map([
        ['customgpt-1001', 'Acme Rocket Docs'],
        ['customgpt-1002', 'Acme Rocket Support'],
        ['customgpt-1003', 'Sample Agent 1003'],
      ]),
    );
    assert.equal(page.data[0]?.id, PROJECT_MODEL_ID, 'the default project comes first');
    for (const m of page.data) {
      assert.equal(m.object, 'model');
      assert.equal(typeof m.created, 'number');
      assert.equal(m.owned_by, 'customgpt');
    }
    const pages = requestsSince(stack.sim, since).filter((r) => r.path === '/api/v1/projects');
    assert.equal(pages.length, 2, 'both upstream pages were read');
  });

  it('caches the listing briefly: a second list() asks the upstream nothing', async () => {
    await stack.client().models.list();
    const since = stack.sim.requests.length;
    await stack.client().models.list();
    assert.equal(requestsSince(stack.sim, since).length, 0);
  });

  it('models.retrieve() gives one project; an unknown id is a NotFoundError', async () => {
    const model = await stack.client().models.retrieve('customgpt-1002');
    assert.equal(model.id, 'customgpt-1002');
    assert.equal((model as unknown as { name: string }).name, 'Acme Rocket Support');
    for (const id of ['customgpt-9999', 'gpt-4o']) {
      await assert.rejects(
        stack.client({ maxRetries: 0 }).models.retrieve(id),
        (err: unknown) => err instanceof NotFoundError && /does not exist/.test(err.message),
        id,
      );
    }
  });

  it("a chat whose model names the second project is answered by it, with that project's model", async () => {
    const since = stack.sim.requests.length;
    const res = await stack
      .client()
      .chat.completions.create({ model: 'customgpt-1002', messages: MESSAGES });
    assert.deepEqual(answeredBy(since), ['1002']);
    assert.equal(res.model, 'gpt-4-1', "the response's model is project 1002's own");
  });

  it('any other model is ignored: the default project answers (the seed)', async () => {
    for (const model of ['gpt-4o', 'customgpt', 'customgpt-abc']) {
      const since = stack.sim.requests.length;
      const res = await stack.client().chat.completions.create({ model, messages: MESSAGES });
      assert.deepEqual(answeredBy(since), [PROJECT_ID], model);
      assert.equal(res.model, PROJECT_MODEL);
    }
  });

  it('a model naming a project the key cannot reach is a 404 model_not_found naming `model` (review S5)', async () => {
    const client = stack.client({ maxRetries: 0 });
    const asks = [
      () => client.chat.completions.create({ model: 'customgpt-99999', messages: MESSAGES }),
      () =>
        client.chat.completions.create({
          model: 'customgpt-99999',
          messages: MESSAGES,
          stream: true,
        }),
      () => client.responses.create({ model: 'customgpt-99999', input: MESSAGES[0]!.content }),
      () =>
        client.responses.create({
          model: 'customgpt-99999',
          input: MESSAGES[0]!.content,
          stream: true,
        }),
    ];
    for (const [i, ask] of asks.entries()) {
      await assert.rejects(ask(), (err: unknown) => {
        assert.ok(err instanceof NotFoundError, `${i}: ${String(err)}`);
        assert.equal(err.code, 'model_not_found', `${i}`);
        assert.equal(err.param, 'model', `${i}`);
        assert.match(err.message, /customgpt-99999/);
        assert.match(err.message, /\/v1\/models/);
        assert.doesNotMatch(err.message, /--project|CUSTOMGPT_PROJECT_ID/);
        return true;
      });
    }
  });

  it('the project in the path wins over the model', async () => {
    const since = stack.sim.requests.length;
    const client = stack.client({ baseURL: `${stack.bridge.origin}/api/v1/projects/1003` });
    await client.chat.completions.create({ model: 'customgpt-1002', messages: MESSAGES });
    assert.deepEqual(answeredBy(since), ['1003']);
  });
});

describe('projects as models when the listing fails', () => {
  it('models.list() still answers 200 with the default project (review S4)', () =>
    withStack({}, async (stack) => {
      stack.sim.injectFault({ kind: 'status', status: 500, match: '/projects?page=1' });
      const page = await stack.client({ maxRetries: 0 }).models.list();
      assert.deepEqual(
        page.data.map((m) => m.id),
        [PROJECT_MODEL_ID],
      );
    }));

  it('models.retrieve() asks for the project itself, not the listing', () =>
    withStack({}, async (stack) => {
      const since = stack.sim.requests.length;
      const model = await stack.client().models.retrieve('customgpt-1003');
      assert.equal((model as unknown as { name: string }).name, 'Sample Agent 1003');
      const paths = requestsSince(stack.sim, since).map((r) => r.path);
      assert.deepEqual(paths, ['/api/v1/projects/1003']);
    }));
});
