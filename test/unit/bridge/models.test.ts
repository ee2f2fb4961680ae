// Projects as models: the id mapping both the bridge and the extension use, and the listing
// over every upstream page (cached briefly, failures not cached).
import assert from 'node:assert/strict';
import { BridgeError } from '../../../bridge/http/openai-error.js';
import { ProjectModels } from '../../../bridge/models/catalog.js';
import { projectModelId, projectOfModel } from '../../../bridge/models/ids.js';
import type { ProjectsPage } from '../../../bridge/protocol.js';
import type { ProjectDirectory } from '../../../bridge/upstream/projects.js';

describe('model ids', () => {
  it('customgpt-<projectId> both ways', () => {
    assert.equal(projectModelId('1001'), 'customgpt-1001');
    assert.equal(projectModelId(7), 'customgpt-7');
    assert.equal(projectOfModel('customgpt-1001'), '1001');
    assert.equal(projectOfModel(' customgpt-42 '), '42');
  });

  it('any other model names no project', () => {
    for (const model of [
      'customgpt',
      'gpt-4o',
      'customgpt-',
      'customgpt-1x',
      'customgpt-../1',
      'CUSTOMGPT-1',
      'customgpt-1234567890123456',
      7,
      null,
      undefined,
      {},
    ]) {
      assert.equal(projectOfModel(model), undefined, String(model));
    }
  });
});

describe('project models listing', () => {
  function fakeDirectory(pages: ProjectsPage[], fail = { times: 0 }) {
    const asked: number[] = [];
    const lookedUp: string[] = [];
    const inFlight = { now: 0, most: 0 };
    const directory = {
      async page(n: number) {
        asked.push(n);
        inFlight.most = Math.max(inFlight.most, ++inFlight.now);
        await new Promise((r) => setImmediate(r));
        inFlight.now--;
        if (fail.times > 0) {
          fail.times--;
          throw new Error('upstream down');
        }
        return pages[n - 1]!;
      },
      async project(id: string) {
        lookedUp.push(id);
        if (id === '404') throw new BridgeError(404, 'no such project', 'not_found_error');
        return { id, name: `Named ${id}`, active: true };
      },
    } as unknown as ProjectDirectory;
    return { directory, asked, lookedUp, inFlight };
  }
  const page = (n: number, last: number, ids: string[]): ProjectsPage => ({
    page: n,
    lastPage: last,
    total: 5,
    projects: ids.map((id) => ({ id, name: `P${id}`, active: true })),
  });
  const PAGES = [page(1, 3, ['1', '2']), page(2, 3, ['3', '2']), page(3, 3, ['5'])];

  it('reads every page, keeps the order, drops a project a shifted page repeats', async () => {
    const { directory, asked } = fakeDirectory(PAGES);
    const models = await new ProjectModels(directory, undefined).list();
    assert.deepEqual(
      models.map((m) => m.id),
      ['customgpt-1', 'customgpt-2', 'customgpt-3', 'customgpt-5'],
    );
    assert.deepEqual(models[0], {
      id: 'customgpt-1',
      object: 'model',
      created: 0,
      owned_by: 'customgpt',
      name: 'P1',
      project_id: '1',
    });
    assert.deepEqual(asked.sort(), [1, 2, 3]);
  });

  it('caches for the TTL, then lists again; a failed listing is not cached', async () => {
    let now = 0;
    const fail = { times: 1 };
    const { directory, asked } = fakeDirectory(PAGES, fail);
    const models = new ProjectModels(directory, undefined, 1000, () => now);
    await assert.rejects(models.list(), /upstream down/);
    await models.list();
    const after = asked.length;
    now = 999;
    await models.list();
    assert.equal(asked.length, after, 'cached');
    now = 1000;
    await models.list();
    assert.ok(asked.length > after, 'listed again after the TTL');
    assert.equal((await models.find('customgpt-3'))?.name, 'P3');
    assert.equal(await models.find('customgpt-404'), undefined);
  });

  it('lists the default project first (review S4)', async () => {
    const { directory } = fakeDirectory(PAGES);
    const models = await new ProjectModels(directory, '3').list();
    assert.deepEqual(
      models.map((m) => m.id),
      ['customgpt-3', 'customgpt-1', 'customgpt-2', 'customgpt-5'],
    );
  });

  it('lists the default project even when no page has it, with its name', async () => {
    const { directory } = fakeDirectory(PAGES);
    const models = await new ProjectModels(directory, '77').list();
    assert.deepEqual(models[0], {
      id: 'customgpt-77',
      object: 'model',
      created: 0,
      owned_by: 'customgpt',
      name: 'Named 77',
      project_id: '77',
    });
    assert.equal(models.length, 5);
  });

  it('a failed listing answers with the default project alone, and is not cached', async () => {
    const { directory } = fakeDirectory(PAGES, { times: 1 });
    const models = new ProjectModels(directory, '1');
    assert.deepEqual(
      (await models.list()).map((m) => m.id),
      ['customgpt-1'],
    );
    assert.equal((await models.list()).length, 4, 'listed again once the upstream answers');
  });

  it('fetches pages at most four at a time', async () => {
    const many = Array.from({ length: 20 }, (_, i) => page(i + 1, 20, [String(i + 1)]));
    const { directory, asked, inFlight } = fakeDirectory(many);
    const models = await new ProjectModels(directory, undefined).list();
    assert.equal(models.length, 20);
    assert.equal(asked.length, 20);
    assert.ok(inFlight.most <= 4, `${inFlight.most} page requests at once`);
    assert.deepEqual(
      models.map((m) => m.project_id),
      many.map((p) => p.projects[0]!.id),
      'in page order',
    );
  });

  it('find() looks a project up by id, beyond the listed pages, without listing', async () => {
    const { directory, asked, lookedUp } = fakeDirectory(PAGES);
    const models = new ProjectModels(directory, undefined);
    assert.equal((await models.find('customgpt-9001'))?.name, 'Named 9001');
    assert.deepEqual(asked, [], 'no page listed');
    assert.deepEqual(lookedUp, ['9001']);
    assert.equal(await models.find('gpt-4o'), undefined);
  });
});
