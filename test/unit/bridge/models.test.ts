// Projects as models: the id mapping both the bridge and the extension use, and the listing
// over every upstream page (cached briefly, failures not cached).
import assert from 'node:assert/strict';
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
    const directory = {
      async page(n: number) {
        asked.push(n);
        if (fail.times > 0) {
          fail.times--;
          throw new Error('upstream down');
        }
        return pages[n - 1]!;
      },
    } as unknown as ProjectDirectory;
    return { directory, asked };
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
    const models = await new ProjectModels(directory).list();
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
    const models = new ProjectModels(directory, 1000, () => now);
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
    assert.equal(await models.find('customgpt-9'), undefined);
  });
});
