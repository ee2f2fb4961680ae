import * as assert from 'node:assert/strict';
import { parseBridgeLogLine } from '../../../../extension/bridge/bridgeLogLine';
import { LineSplitter } from '../../../../extension/bridge/lineSplitter';
import { classifyStartFailure } from '../../../../extension/bridge/startFailure';

describe('bridge output', () => {
  it('splits chunks into lines', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\nb'), ['a']);
    assert.deepEqual(splitter.push('c\r\nd\n'), ['bc', 'd']);
    assert.deepEqual(splitter.push('tail'), []);
    assert.deepEqual(splitter.flush(), ['tail']);
  });

  it('maps JSON log records onto channel levels', () => {
    assert.deepEqual(parseBridgeLogLine('{"level":"warn","msg":"slow","ms":5}'), {
      level: 'warn',
      text: 'slow {"ms":5}',
    });
    assert.equal(parseBridgeLogLine('{"level":50,"msg":"x"}').level, 'error');
    assert.equal(parseBridgeLogLine('{"level":"debug","msg":"x"}').level, 'debug');
    assert.deepEqual(parseBridgeLogLine('not json'), { level: 'info', text: 'not json' });
  });

  it('recognizes a taken port by exit code 3 or by the message', () => {
    assert.equal(
      classifyStartFailure({ port: 8765, exitCode: 3, signal: null, stderrLines: [] }).kind,
      'port-in-use',
    );
    const byText = classifyStartFailure({
      port: 8765,
      exitCode: 1,
      signal: null,
      stderrLines: ['{"level":"error","msg":"port 8765 is in use by another program"}'],
    });
    assert.equal(byText.kind, 'port-in-use');
    assert.match(byText.message, /customgpt\.port/);
    assert.equal(
      classifyStartFailure({
        port: 1,
        exitCode: 1,
        signal: null,
        stderrLines: ['Error: listen EADDRINUSE: address already in use 127.0.0.1:1'],
      }).kind,
      'port-in-use',
    );
  });

  it('explains other early exits with the last error record', () => {
    const failure = classifyStartFailure({
      port: 8765,
      exitCode: 2,
      signal: null,
      stderrLines: [
        '{"level":"info","msg":"starting"}',
        '{"level":"error","msg":"bad upstream URL"}',
      ],
    });
    assert.equal(failure.kind, 'failed');
    assert.match(failure.message, /exited with code 2 before it was ready: bad upstream URL/);
  });
});
