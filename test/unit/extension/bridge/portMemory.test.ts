// The fallback-port records and the one warning about copied settings (extension/bridge/portMemory.ts).
import * as assert from 'node:assert/strict';
import {
  fallbackRecord,
  portMoveNotice,
  rememberedPortFor,
} from '../../../../extension/bridge/portMemory';
import { argsWithPort, portCandidates } from '../../../../extension/bridge/portScan';

describe('port fallback', () => {
  it('tries the remembered fallback first, then the configured port and the next nine', () => {
    assert.deepEqual(
      portCandidates({ port: 8765 }),
      [8765, 8766, 8767, 8768, 8769, 8770, 8771, 8772, 8773, 8774],
    );
    assert.deepEqual(
      portCandidates({ port: 8765, rememberedPort: 8767 }).slice(0, 3),
      [8767, 8765, 8766],
    );
    assert.deepEqual(portCandidates({ port: 65534 }), [65534, 65535]);
  });

  it('puts the chosen port on the command line', () => {
    assert.deepEqual(argsWithPort(['--port', '8765', '--demo'], 8766), [
      '--port',
      '8766',
      '--demo',
    ]);
    assert.deepEqual(argsWithPort(['--demo'], 8766), ['--demo', '--port', '8766']);
  });

  it('remembers a fallback only for the port it replaced', () => {
    assert.deepEqual(fallbackRecord(8765, 8766), { configured: 8765, port: 8766 });
    assert.equal(fallbackRecord(8765, 8765), undefined);
    assert.equal(rememberedPortFor({ configured: 8765, port: 8766 }, 8765), 8766);
    assert.equal(rememberedPortFor({ configured: 8765, port: 8766 }, 9000), undefined);
    for (const junk of [
      undefined,
      null,
      'x',
      { configured: 8765, port: 'x' },
      { configured: 8765, port: 8765 },
    ]) {
      assert.equal(rememberedPortFor(junk, 8765), undefined, JSON.stringify(junk));
    }
  });

  it('warns only when copied settings point at another port than the bridge', () => {
    assert.equal(portMoveNotice(undefined, 8766, 8765), undefined, 'nothing copied');
    assert.equal(portMoveNotice(8766, 8766, 8765), undefined);
    assert.equal(portMoveNotice(8765, 9001, 9000), undefined, 'the setting changed on purpose');
    const notice = portMoveNotice(8765, 8766, 8765) ?? '';
    assert.match(notice, /runs on port 8766/);
    assert.match(notice, /still use port 8765/);
  });
});
