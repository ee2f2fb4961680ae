import * as assert from 'node:assert/strict';
import { parseReadyLine } from '../../../../extension/bridge/readyLine';

describe('ready line', () => {
  const good = {
    event: 'ready',
    url: 'http://127.0.0.1:8765/v1',
    port: 8765,
    token: 'abc',
    mode: 'native',
    project: '42',
  };

  it('parses the bridge ready line', () => {
    const result = parseReadyLine(JSON.stringify(good));
    assert.ok(result.ok);
    assert.deepEqual(result.ready, good);
  });

  it('keeps simulated only when true and accepts a numeric project', () => {
    const result = parseReadyLine(
      JSON.stringify({ ...good, mode: 'demo', project: 1001, simulated: true }),
    );
    assert.ok(result.ok);
    assert.equal(result.ready.project, '1001');
    assert.equal(result.ready.simulated, true);
    const plain = parseReadyLine(JSON.stringify({ ...good, simulated: false }));
    assert.ok(plain.ok);
    assert.equal('simulated' in plain.ready, false);
  });

  it('rejects lines that are not a ready event', () => {
    for (const line of [
      'listening on 8765',
      '[]',
      JSON.stringify({ ...good, event: 'started' }),
      JSON.stringify({ ...good, port: 'x' }),
      JSON.stringify({ ...good, port: 70000 }),
      JSON.stringify({ ...good, token: '' }),
      JSON.stringify({ ...good, mode: 'turbo' }),
      JSON.stringify({ ...good, url: 'ftp://x' }),
    ]) {
      assert.equal(parseReadyLine(line).ok, false, line);
    }
  });
});
