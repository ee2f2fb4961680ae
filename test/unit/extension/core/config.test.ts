import * as assert from 'node:assert/strict';
import {
  bridgeArgs,
  CONFIG_APPLY,
  DEFAULT_CONFIG,
  keysNeedingRestart,
  readConfig,
} from '../../../../extension/core/config';

const source = (values: Record<string, unknown>) => ({ get: (key: string) => values[key] });

describe('extension config', () => {
  it('reads defaults when nothing is set', () => {
    assert.deepEqual(readConfig(source({})), DEFAULT_CONFIG);
    assert.equal(DEFAULT_CONFIG.port, 8765);
    assert.equal(DEFAULT_CONFIG.onUnsupported, 'error');
    assert.equal(DEFAULT_CONFIG.citations, 'append');
  });

  it('reads valid values and trims strings', () => {
    const config = readConfig(
      source({
        port: 9000,
        autoStart: false,
        upstreamMode: 'compat',
        onUnsupported: 'ignore',
        citations: 'field',
        upstreamUrl: ' http://localhost:4010/ ',
        projectId: ' 42 ',
        upstreamTimeout: 15,
      }),
    );
    assert.deepEqual(config, {
      port: 9000,
      autoStart: false,
      upstreamMode: 'compat',
      onUnsupported: 'ignore',
      citations: 'field',
      upstreamUrl: 'http://localhost:4010',
      projectId: '42',
      upstreamTimeout: 15,
    });
  });

  it('replaces malformed values by defaults', () => {
    const config = readConfig(
      source({ port: 70000, autoStart: 'yes', upstreamMode: 'x', citations: 3, projectId: 17 }),
    );
    assert.equal(config.port, 8765);
    assert.equal(config.autoStart, true);
    assert.equal(config.upstreamMode, 'native');
    assert.equal(config.citations, 'append');
    assert.equal(config.projectId, '17');
    assert.equal(readConfig(source({ port: 12.5 })).port, 8765);
    for (const upstreamTimeout of [0, -5, 1.5, 3601, '30', null]) {
      assert.equal(
        readConfig(source({ upstreamTimeout })).upstreamTimeout,
        60,
        String(upstreamTimeout),
      );
    }
  });

  it('marks every key live or needs-restart, autoStart live', () => {
    assert.equal(CONFIG_APPLY.autoStart, 'live');
    for (const key of [
      'port',
      'upstreamMode',
      'onUnsupported',
      'citations',
      'upstreamUrl',
      'projectId',
      'upstreamTimeout',
    ] as const) {
      assert.equal(CONFIG_APPLY[key], 'needs-restart', key);
    }
  });

  it('lists the changed keys that need a restart', () => {
    const changed = new Set(['customgpt', 'customgpt.port', 'customgpt.autoStart']);
    assert.deepEqual(
      keysNeedingRestart((key) => changed.has(key)),
      ['port'],
    );
    assert.deepEqual(
      keysNeedingRestart(() => false),
      [],
    );
  });

  it('builds the bridge command line without any secret', () => {
    const args = bridgeArgs({ ...DEFAULT_CONFIG, projectId: '7', upstreamUrl: 'http://x' }, false);
    assert.deepEqual(args, [
      '--port',
      '8765',
      '--host',
      '127.0.0.1',
      '--upstream-mode',
      'native',
      '--on-unsupported',
      'error',
      '--citations',
      'append',
      '--upstream-timeout',
      '60',
      '--stdin-lifeline',
      '--project',
      '7',
      '--upstream',
      'http://x',
    ]);
  });

  it('adds --demo and leaves out an empty project and upstream', () => {
    const args = bridgeArgs(DEFAULT_CONFIG, true);
    assert.ok(args.includes('--demo'));
    assert.ok(!args.includes('--project'));
    assert.ok(!args.includes('--upstream'));
  });
});
