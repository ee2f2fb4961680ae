// Which pids a window may signal: a peer names a pid, the OS decides (extension/bridge/bridgePid.ts).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  isOurBridgeProcess,
  readProcessFacts,
  signalVerifiedBridge,
} from '../../../../extension/bridge/bridgePid';
import { FAKE_BRIDGE, isAlive } from '../helpers';

const expected = { uid: 1000, port: 8765, script: '/ext/dist/bridge.js', selfPid: 4242 };
const bridgeArgs = [
  '/usr/bin/code',
  '--max-semi-space-size=4',
  '/ext/dist/bridge.js',
  '--port',
  '8765',
];

describe('bridge pid check', () => {
  it('accepts only our bridge script on the proven port, run by this user', () => {
    const facts = { uid: 1000, args: bridgeArgs };
    assert.equal(isOurBridgeProcess(777, facts, expected), true);
    assert.equal(isOurBridgeProcess(777, { ...facts, uid: 0 }, expected), false, 'other user');
    assert.equal(
      isOurBridgeProcess(777, { uid: 1000, args: ['/usr/bin/sleep', '1000'] }, expected),
      false,
      'another program',
    );
    assert.equal(
      isOurBridgeProcess(777, { uid: 1000, args: [...bridgeArgs.slice(0, 4), '8766'] }, expected),
      false,
      'a bridge on another port',
    );
    assert.equal(isOurBridgeProcess(777, undefined, expected), false, 'unknown process');
  });

  it('never accepts pid <= 1, a non-integer, or its own pid', () => {
    const facts = { uid: 1000, args: bridgeArgs };
    for (const pid of [-1, 0, 1, 1.5, Number.NaN, 4242]) {
      assert.equal(isOurBridgeProcess(pid, facts, expected), false, String(pid));
    }
  });

  it('does not signal a process that is not our bridge, nor pid -1', async function () {
    if (process.platform !== 'linux') this.skip();
    const victim = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    try {
      const pid = victim.pid ?? 0;
      assert.ok((await readProcessFacts(pid))?.args.includes('-e'));
      assert.equal(await signalVerifiedBridge(pid, 8765, FAKE_BRIDGE), false);
      assert.equal(await signalVerifiedBridge(-1, 8765, FAKE_BRIDGE), false);
      assert.equal(await signalVerifiedBridge(1, 8765, FAKE_BRIDGE), false);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(isAlive(pid), 'the victim was signalled');
    } finally {
      victim.kill('SIGKILL');
    }
  });
});
