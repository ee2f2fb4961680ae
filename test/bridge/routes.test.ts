// Routes and auth: the three chat-completions paths, 404 for everything else, the documented
// extensions (/v1/models, /bridge/health, /bridge/identity) and the local bearer token.
import assert from 'node:assert/strict';
import { AuthenticationError, NotFoundError } from 'openai';
import { identityProof, verifyIdentityProof } from '../../bridge/http/identity.js';
import { answerFor } from '../../bridge/simulator/knowledge.js';
import {
  isAnswerCall,
  PROJECT_ID,
  postRaw,
  readOpenAIError,
  requestsSince,
  type Stack,
  startStack,
} from './harness.js';

const PROMPT = 'How do I configure middleware in Acme Rocket?';
const MESSAGES = [{ role: 'user' as const, content: PROMPT }];

describe('bridge routes', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('RunningBridge.url is the origin plus /v1 on 127.0.0.1', () => {
    assert.equal(stack.bridge.url, `${stack.bridge.origin}/v1`);
    assert.equal(stack.bridge.origin, `http://127.0.0.1:${stack.bridge.port}`);
    assert.ok(stack.bridge.token.length >= 16, 'token is long enough to be unguessable');
  });

  it('serves POST /v1/chat/completions', async () => {
    const res = await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.ok(res.choices[0]?.message.content?.includes(answerFor(PROMPT).text));
  });

  it('serves POST /chat/completions (base URL without /v1)', async () => {
    const client = stack.client({ baseURL: stack.bridge.origin });
    const res = await client.chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.ok(res.choices[0]?.message.content?.includes(answerFor(PROMPT).text));
  });

  it('serves POST /api/v1/projects/{id}/chat/completions and the path project wins', async () => {
    const since = stack.sim.requests.length;
    const client = stack.client({ baseURL: `${stack.bridge.origin}/api/v1/projects/1002` });
    const res = await client.chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.ok(res.choices[0]?.message.content);
    const upstream = requestsSince(stack.sim, since).filter((r) => r.path.includes('/projects/'));
    assert.ok(upstream.some(isAnswerCall), 'an answer call reached the simulator');
    for (const r of upstream) {
      assert.match(r.path, /\/api\/v1\/projects\/1002\//, `upstream call for 1002: ${r.path}`);
    }
  });

  it('answers a client whose base URL says localhost', async () => {
    const client = stack.client({ baseURL: `http://localhost:${stack.bridge.port}/v1` });
    const res = await client.chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.ok(res.choices[0]?.message.content?.includes(answerFor(PROMPT).text));
  });

  it("accepts the seed's base URL form with a trailing slash (…/projects/{id}/)", async () => {
    const since = stack.sim.requests.length;
    const client = stack.client({ baseURL: `${stack.bridge.origin}/api/v1/projects/1002/` });
    const res = await client.chat.completions.create({ model: 'x', messages: MESSAGES });
    assert.ok(res.choices[0]?.message.content);
    const answers = requestsSince(stack.sim, since).filter(isAnswerCall);
    assert.match(answers[0]?.path ?? '', /\/projects\/1002\//);
  });

  it('ignores a query string on the chat path (e.g. ?api-version=)', async () => {
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions?api-version=2024-10-21',
      { model: 'x', messages: MESSAGES },
      { token: stack.bridge.token },
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    assert.ok(body.choices[0]?.message.content.includes(answerFor(PROMPT).text));
  });

  it('uses --project when the path carries none', async () => {
    const since = stack.sim.requests.length;
    await stack.client().chat.completions.create({ model: 'x', messages: MESSAGES });
    const answers = requestsSince(stack.sim, since).filter(isAnswerCall);
    assert.equal(answers.length, 1);
    assert.match(answers[0]!.path, new RegExp(`/api/v1/projects/${PROJECT_ID}/`));
  });

  for (const [method, path] of [
    ['POST', '/v1/completions'],
    ['POST', '/v1/embeddings'],
    ['POST', '/v1/audio/speech'],
    ['POST', '/v1/responses/compact'],
    ['POST', '/fim/completions'],
    ['GET', '/v1/chat/completions'],
    ['PUT', '/v1/chat/completions'],
    ['POST', '/v1/chat/completions/extra'],
    ['GET', '/'],
    ['POST', '/api/v1/projects/1001/conversations'],
  ] as const) {
    it(`answers ${method} ${path} with a 404 OpenAI error`, async () => {
      const since = stack.sim.requests.length;
      const res = await fetch(`${stack.bridge.origin}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${stack.bridge.token}`,
          'content-type': 'application/json',
        },
        ...(method === 'GET' ? {} : { body: JSON.stringify({ model: 'x', messages: MESSAGES }) }),
      });
      assert.equal(res.status, 404);
      await readOpenAIError(res);
      assert.equal(requestsSince(stack.sim, since).length, 0, 'nothing reached upstream');
    });
  }

  it('client.embeddings.create() raises NotFoundError', async () => {
    await assert.rejects(
      stack.client({ maxRetries: 0 }).embeddings.create({ model: 'x', input: 'hello' }),
      (err: unknown) => err instanceof NotFoundError && err.status === 404,
    );
  });

  it("GET /v1/models lists the account's projects as models", async () => {
    const page = await stack.client().models.list();
    assert.deepEqual(page.data.map((m) => m.id).sort(), [
      'customgpt-1001',
      'customgpt-1002',
      'customgpt-1003',
    ]);
  });

  it('a 404 names the endpoints that exist', async () => {
    const res = await fetch(`${stack.bridge.origin}/v1/embeddings`, {
      headers: { authorization: `Bearer ${stack.bridge.token}` },
    });
    const { body } = await readOpenAIError(res);
    for (const path of ['/v1/chat/completions', '/v1/responses', '/v1/models']) {
      assert.ok(body.error.message.includes(path), body.error.message);
    }
  });

  it('GET /bridge/identity proves the token for a nonce without a token or revealing it', async () => {
    const nonce = 'a-fresh-nonce-0123456789';
    const res = await fetch(`${stack.bridge.origin}/bridge/identity?nonce=${nonce}`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(!text.includes(stack.bridge.token), 'the token is in the answer');
    const body = JSON.parse(text) as { proof?: unknown; port?: unknown };
    assert.equal(body.port, stack.bridge.port);
    assert.ok(verifyIdentityProof(stack.bridge.token, stack.bridge.port, nonce, body.proof));
    assert.notEqual(body.proof, identityProof('another-token', stack.bridge.port, nonce));
    const bad = await fetch(`${stack.bridge.origin}/bridge/identity?nonce=short`);
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  });

  it("GET /bridge/projects/{id} gives the project's model and example questions", async () => {
    const res = await fetch(`${stack.bridge.origin}/bridge/projects/1002`, {
      headers: { authorization: `Bearer ${stack.bridge.token}` },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      id: '1002',
      model: 'gpt-4-1',
      exampleQuestions: ['How do I install Acme Rocket?', 'How do routes work?'],
    });
    const missing = await fetch(`${stack.bridge.origin}/bridge/projects/9999`, {
      headers: { authorization: `Bearer ${stack.bridge.token}` },
    });
    assert.equal(missing.status, 404);
    await readOpenAIError(missing);
    const open = await fetch(`${stack.bridge.origin}/bridge/projects/1002`);
    assert.equal(open.status, 401);
  });

  it('GET /bridge/health needs no token and says who it is', async () => {
    const res = await fetch(`${stack.bridge.origin}/bridge/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.ok, true);
    assert.equal(body.service, 'customgpt-bridge');
    assert.ok(!JSON.stringify(body).includes(stack.bridge.token), 'health never shows the token');
  });
});

describe('bridge auth', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('refuses a request without Authorization: 401 OpenAI error, nothing upstream', async () => {
    const since = stack.sim.requests.length;
    const res = await postRaw(stack.bridge.origin, '/v1/chat/completions', {
      model: 'x',
      messages: MESSAGES,
    });
    assert.equal(res.status, 401);
    const { text } = await readOpenAIError(res);
    assert.ok(!text.includes(stack.bridge.token), 'the 401 never echoes the token');
    assert.equal(requestsSince(stack.sim, since).length, 0);
  });

  it('refuses a wrong token (SDK AuthenticationError) without echoing either token', async () => {
    const wrong = 'wrong-token-5f3a9d';
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: MESSAGES },
      { token: wrong },
    );
    assert.equal(res.status, 401);
    const { text } = await readOpenAIError(res);
    assert.ok(!text.includes(wrong), 'the 401 never echoes the presented token');
    assert.ok(!text.includes(stack.bridge.token), 'the 401 never reveals the real token');

    await assert.rejects(
      stack.client({ apiKey: wrong, maxRetries: 0 }).chat.completions.create({
        model: 'x',
        messages: MESSAGES,
      }),
      (err: unknown) => err instanceof AuthenticationError && err.status === 401,
    );
  });

  it('a wrong token with a 2 MB body still gets a clean 401 (no reset mid-upload)', async () => {
    await assert.rejects(
      stack.client({ apiKey: 'wrong-token', maxRetries: 0 }).chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: 'x'.repeat(2_000_000) }],
      }),
      (err: unknown) => {
        assert.ok(err instanceof AuthenticationError, `401, got ${String(err)}`);
        return true;
      },
    );
  });

  it('refuses a non-Bearer scheme carrying the right token', async () => {
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: MESSAGES },
      { headers: { authorization: `Basic ${stack.bridge.token}` } },
    );
    assert.equal(res.status, 401);
    await readOpenAIError(res);
  });

  it('guards every route, the project path and /v1/models too', async () => {
    for (const path of ['/chat/completions', '/api/v1/projects/1001/chat/completions']) {
      const res = await postRaw(stack.bridge.origin, path, { model: 'x', messages: MESSAGES });
      assert.equal(res.status, 401, path);
      await readOpenAIError(res);
    }
    const models = await fetch(`${stack.bridge.origin}/v1/models`);
    assert.equal(models.status, 401, '/v1/models');
    await readOpenAIError(models);
  });
});
