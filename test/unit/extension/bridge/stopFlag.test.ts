// The shared "stopped by the user" flag: a file every window reads fresh and polls.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { StopFlagFile } from '../../../../extension/bridge/stopFlag';
import { waitFor } from '../helpers';

describe('stop flag file', () => {
  const dirs: string[] = [];
  const flags: StopFlagFile[] = [];
  afterEach(() => {
    for (const flag of flags.splice(0)) flag.dispose();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function pair(): [StopFlagFile, StopFlagFile] {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stop-flag-'));
    dirs.push(dir);
    // The storage folder may not exist yet on first run.
    const storage = path.join(dir, 'globalStorage', 'customgpt');
    const a = new StopFlagFile(storage);
    const b = new StopFlagFile(storage);
    flags.push(a, b);
    return [a, b];
  }

  it('one window sets it, another reads it at once, and both clear it', async () => {
    const [a, b] = pair();
    assert.equal(await b.isSet(), false);
    await a.set(true);
    assert.equal(await b.isSet(), true);
    await b.set(false);
    assert.equal(await a.isSet(), false);
    await b.set(false);
  });

  it('tells a watching window about a Stop and a Start in another one', async () => {
    const [a, b] = pair();
    let changes = 0;
    b.watch(() => changes++, 50);
    await a.set(true);
    await waitFor(() => changes >= 1, 3000, 'change on stop');
    await a.set(false);
    await waitFor(() => changes >= 2, 3000, 'change on start');
  });
});
