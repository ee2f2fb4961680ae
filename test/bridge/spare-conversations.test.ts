// Spare conversations and start-up warm-up (issue 13): in native mode the bridge makes one
// conversation ahead of need for the configured project, hands it to the next new chat (no
// conversation is created while that chat waits), makes the next one, makes none for projects
// nobody asked, deletes unused ones when they expire and when it closes, and falls back to an
// on-demand conversation when a spare vanished upstream. At start it checks the key and looks
// up the project's model before any question.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SESSION_HEADER } from '../../bridge/protocol.js';
import { UpstreamClient } from '../../bridge/upstream/client.js';
import { ConversationPool } from '../../bridge/upstream/conversation-pool.js';
import {
  CITED_PROMPT,
  isConversationCreate,
  isMessageSend,
  PROJECT_ID,
  postRaw,
  requestsSince,
  type Simulator,
  type Stack,
  startStack,
  waitFor,
} from './harness.js';

const OTHER_PROJECT = '1002';

interface Listed {
  session_id: string;
  name: string;
}

async function simGet(sim: Simulator, path: string): Promise<unknown> {
  const res = await fetch(`${sim.url}/api/v1${path}`, {
    headers: { authorization: `Bearer ${sim.apiKey}` },
  });
  assert.equal(res.status, 200, `GET ${path}`);
  return ((await res.json()) as { data: unknown }).data;
}

/** Every conversation of a project (the simulator pages them 10 at a time). */
async function conversations(sim: Simulator, project: string): Promise<Listed[]> {
  const out: Listed[] = [];
  for (let page = 1; ; page++) {
    const data = (await simGet(sim, `/projects/${project}/conversations?page=${page}`)) as {
      data: Listed[];
      last_page: number;
    };
    out.push(...data.data);
    if (page >= data.last_page) return out;
  }
}

/** The conversations of a project that hold no message: spares, or leftovers. */
async function emptyConversations(sim: Simulator, project: string): Promise<Listed[]> {
  const empty: Listed[] = [];
  for (const c of await conversations(sim, project)) {
    const data = (await simGet(
      sim,
      `/projects/${project}/conversations/${c.session_id}/messages`,
    )) as { messages: { data: unknown[] } };
    if (data.messages.data.length === 0) empty.push(c);
  }
  return empty;
}

const creates = (sim: Simulator, project: string, since = 0) =>
  requestsSince(sim, since).filter(
    (r) => isConversationCreate(r) && r.path.includes(`/projects/${project}/`),
  );

async function ask(stack: Stack, project?: string) {
  const since = stack.sim.requests.length;
  const { response } = await stack
    .client({
      maxRetries: 0,
      ...(project ? { baseURL: `${stack.bridge.origin}/api/v1/projects/${project}` } : {}),
    })
    .chat.completions.create({
      model: 'x',
      messages: [{ role: 'user', content: CITED_PROMPT }],
    })
    .withResponse();
  return { session: response.headers.get(SESSION_HEADER), since };
}

describe('spare conversations (native mode)', function () {
  this.timeout(20_000);
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('warms up at start: key check, model lookup and one spare for the configured project', async () => {
    stack = await startStack();
    const sim = stack.sim;
    await waitFor(() => creates(sim, PROJECT_ID).length === 1, 'a spare for the project');
    // The project's settings lookup is both the key check and the model lookup.
    await waitFor(
      () => sim.requests.some((r) => r.path === `/api/v1/projects/${PROJECT_ID}/settings`),
      'the key check and model lookup at start',
    );
    const empty = await emptyConversations(sim, PROJECT_ID);
    assert.equal(empty.length, 1, 'exactly one spare');
  });

  it("a new chat's first question uses the spare: no conversation is created while it waits", async () => {
    stack = await startStack();
    const sim = stack.sim;
    await waitFor(() => creates(sim, PROJECT_ID).length === 1, 'a spare for the project');
    await sleep(50); // the spare's creation answered
    const [spare] = await emptyConversations(sim, PROJECT_ID);
    assert.ok(spare, 'the spare exists');
    const { session, since } = await ask(stack);
    assert.equal(session, spare.session_id, 'the chat continues in the spare');
    const upstream = requestsSince(sim, since);
    const send = upstream.findIndex(isMessageSend);
    assert.ok(send >= 0, 'the question was sent');
    assert.equal(
      upstream.slice(0, send).filter(isConversationCreate).length,
      0,
      'no conversation created before the question went out',
    );
    // The next spare is made, and the used one is named after the question.
    await waitFor(() => creates(sim, PROJECT_ID, since).length === 1, 'the next spare');
    await waitFor(
      () => sim.requests.some((r) => r.method === 'PUT' && r.path.endsWith(spare.session_id)),
      'the rename',
    );
    const renamed = (await conversations(sim, PROJECT_ID)).find(
      (c) => c.session_id === spare.session_id,
    );
    assert.equal(renamed?.name, CITED_PROMPT);
  });

  it('makes no spare for a project nobody asked, and one after it was asked', async () => {
    stack = await startStack();
    const sim = stack.sim;
    await waitFor(() => creates(sim, PROJECT_ID).length === 1, 'the configured project’s spare');
    await sleep(100);
    assert.equal(creates(sim, OTHER_PROJECT).length, 0, 'nothing for an unused project');
    assert.equal(creates(sim, '1003').length, 0, 'nothing for an unused project');
    await ask(stack, OTHER_PROJECT);
    await waitFor(() => creates(sim, OTHER_PROJECT).length === 2, 'its conversation and a spare');
    await sleep(50);
    assert.equal((await emptyConversations(sim, OTHER_PROJECT)).length, 1, 'one spare');
  });

  it('a clean shutdown leaves no unused conversation in the account', async () => {
    stack = await startStack();
    const sim = stack.sim;
    await ask(stack);
    await ask(stack, OTHER_PROJECT);
    await ask(stack);
    await waitFor(
      () => creates(sim, OTHER_PROJECT).length === 2 && creates(sim, PROJECT_ID).length >= 3,
      'the spares',
    );
    await stack.bridge.close();
    for (const project of [PROJECT_ID, OTHER_PROJECT, '1003']) {
      assert.deepEqual(await emptyConversations(sim, project), [], `no spare left in ${project}`);
    }
    assert.ok(
      sim.requests.filter((r) => r.method === 'DELETE').length >= 2,
      'the spares were deleted',
    );
    await sim.close();
    stack = undefined;
  });

  it('a shutdown while a spare is still being made deletes it once made', async () => {
    stack = await startStack({ sim: { firstByteDelayMs: 150 } });
    const sim = stack.sim;
    await waitFor(() => creates(sim, PROJECT_ID).length === 1, 'the spare under way');
    await stack.bridge.close();
    assert.deepEqual(await emptyConversations(sim, PROJECT_ID), []);
    await sim.close();
    stack = undefined;
  });

  it('falls back to an on-demand conversation when the spare vanished upstream', async () => {
    stack = await startStack();
    const sim = stack.sim;
    await waitFor(() => creates(sim, PROJECT_ID).length === 1, 'a spare');
    await sleep(50);
    const [spare] = await emptyConversations(sim, PROJECT_ID);
    const del = await fetch(
      `${sim.url}/api/v1/projects/${PROJECT_ID}/conversations/${spare!.session_id}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${sim.apiKey}` },
      },
    );
    assert.equal(del.status, 200);
    const { session } = await ask(stack);
    assert.ok(session && session !== spare!.session_id, 'answered in a new conversation');
  });

  it('spareConversations: false makes none (each new chat opens its own)', async () => {
    stack = await startStack({ bridge: { spareConversations: false } });
    const sim = stack.sim;
    await waitFor(
      () => sim.requests.some((r) => r.path === `/api/v1/projects/${PROJECT_ID}/settings`),
      'the warm-up still runs',
    );
    await sleep(100);
    assert.equal(creates(sim, PROJECT_ID).length, 0);
    const { since } = await ask(stack);
    assert.equal(creates(sim, PROJECT_ID, since).length, 1);
    await sleep(100);
    assert.equal(creates(sim, PROJECT_ID).length, 1, 'and no spare after it');
  });

  it('compat mode makes no conversations at all', async () => {
    stack = await startStack({ bridge: { upstreamMode: 'compat' } });
    const sim = stack.sim;
    await waitFor(
      () => sim.requests.some((r) => r.path === `/api/v1/projects/${PROJECT_ID}/settings`),
      'the warm-up',
    );
    const res = await postRaw(
      stack.bridge.origin,
      '/v1/chat/completions',
      { model: 'x', messages: [{ role: 'user', content: CITED_PROMPT }] },
      { token: stack.bridge.token },
    );
    assert.equal(res.status, 200);
    await sleep(100);
    assert.equal(creates(sim, PROJECT_ID).length, 0);
  });
});

describe('ConversationPool against the simulator', () => {
  it('deletes a spare unused for idleMs, and does not replace it', async () => {
    const { startSimulator } = await import('../../bridge/simulator/index.js');
    const sim = await startSimulator({ apiKey: 'k-pool-test-0001' });
    const client = new UpstreamClient({
      baseUrl: sim.url,
      apiKey: 'k-pool-test-0001',
      headersTimeoutMs: 5000,
      bodyTimeoutMs: 5000,
    });
    const create = async (project: string, name: string) => {
      const data = await client.json<{ session_id: string }>({
        method: 'POST',
        path: `/projects/${project}/conversations`,
        body: { name },
      });
      return data.session_id;
    };
    const pool = new ConversationPool(client, create, { idleMs: 150 });
    try {
      pool.prime(PROJECT_ID);
      await waitFor(() => creates(sim, PROJECT_ID).length === 1, 'the spare');
      await waitFor(
        () => sim.requests.some((r) => r.method === 'DELETE'),
        'the expired spare deleted',
      );
      await sleep(50);
      assert.equal(pool.size, 0);
      assert.equal(creates(sim, PROJECT_ID).length, 1, 'not replaced');
      assert.deepEqual(await emptyConversations(sim, PROJECT_ID), []);
      assert.equal(pool.take(PROJECT_ID), undefined, 'nothing to take');
    } finally {
      await pool.close();
      await client.destroy();
      await sim.close();
    }
  });
});
