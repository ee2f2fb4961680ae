import * as assert from 'node:assert/strict';
import type { ProjectsPage } from '../../../../bridge/protocol';
import type { BridgeProcess } from '../../../../extension/bridge/bridgeProcess';
import { spawnBridge } from '../../../../extension/bridge/bridgeProcess';
import { fetchAllProjects, ProjectsError } from '../../../../extension/setup/projectsClient';
import { FAKE_BRIDGE, freePort } from '../helpers';

describe('projects client', () => {
  let child: BridgeProcess | undefined;
  let origin = '';

  async function start(env: Record<string, string>) {
    const port = await freePort();
    const outcome = await spawnBridge({
      execPath: process.execPath,
      script: FAKE_BRIDGE,
      args: ['--port', String(port)],
      secretEnv: { CUSTOMGPT_BRIDGE_TOKEN: 'token-123456', ...env },
      port,
      onStderrLine: () => undefined,
    });
    assert.equal(outcome.kind, 'ready');
    if (outcome.kind === 'ready') child = outcome.process;
    origin = `http://127.0.0.1:${port}`;
  }

  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });

  it('fetches every page in order, reporting each as it arrives', async () => {
    await start({ CUSTOMGPT_API_KEY: 'key-abcdef' });
    const pages: ProjectsPage[] = [];
    const all = await fetchAllProjects(origin, 'token-123456', (p) => pages.push(p));
    assert.deepEqual(
      pages.map((p) => p.page),
      [1, 2, 3],
    );
    assert.deepEqual(
      all.map((p) => p.name),
      ['Docs', 'Support', 'Sales', 'Legal', 'HR'],
    );
  });

  it("surfaces the bridge's error message", async () => {
    await start({});
    await assert.rejects(
      fetchAllProjects(origin, 'token-123456', () => undefined),
      (error: unknown) =>
        error instanceof ProjectsError &&
        /API Token is either missing or invalid/.test(error.message),
    );
  });

  it('rejects a wrong token', async () => {
    await start({ CUSTOMGPT_API_KEY: 'key-abcdef' });
    await assert.rejects(
      fetchAllProjects(origin, 'wrong', () => undefined),
      /Invalid bridge token/,
    );
  });
});
