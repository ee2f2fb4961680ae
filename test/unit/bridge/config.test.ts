// The bridge's configuration: validation and defaults (resolveConfig), flags and environment
// (parseCli).
import assert from 'node:assert/strict';
import {
  ConfigError,
  DEFAULT_UPSTREAM,
  DEFAULTS,
  parseCli,
  resolveConfig,
  USAGE,
} from '../../../bridge/config.js';
import { DEFAULT_PORT } from '../../../bridge/protocol.js';

function configError(fn: () => unknown, pattern: RegExp): ConfigError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
  assert.match(thrown.message, pattern);
  return thrown;
}

describe('resolveConfig', () => {
  it('fills every default', () => {
    assert.deepEqual(resolveConfig({}), {
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      upstream: 'https://app.customgpt.ai',
      upstreamMode: 'native',
      onUnsupported: 'error',
      citations: 'append',
      demo: false,
      allowedOrigins: [],
      maxConcurrent: 1024,
      pingIntervalMs: 15_000,
      upstreamTimeoutMs: 60_000,
      streamIdleTimeoutMs: 60_000,
      requestTimeoutMs: 30_000,
      bodyLimitBytes: 4 * 1024 * 1024,
      shutdownGraceMs: 10_000,
      sessionMax: 2000,
      sessionTtlMs: 6 * 60 * 60 * 1000,
      spareConversations: true,
      upstreamHttp2: true,
      log: 'info',
      project: undefined,
      token: undefined,
      apiKey: undefined,
    });
    assert.equal(DEFAULT_UPSTREAM, 'https://app.customgpt.ai');
  });

  it('undefined options do not overwrite defaults', () => {
    const c = resolveConfig({ citations: undefined, maxConcurrent: undefined, log: undefined });
    assert.deepEqual([c.citations, c.maxConcurrent, c.log], ['append', 1024, 'info']);
  });

  it('keeps given options', () => {
    const c = resolveConfig({
      port: 0,
      host: '::1',
      upstream: 'http://127.0.0.1:9000',
      upstreamMode: 'compat',
      onUnsupported: 'ignore',
      citations: 'field',
      demo: true,
      allowedOrigins: ['http://localhost:3000'],
      maxConcurrent: 4,
      log: 'debug',
    });
    assert.deepEqual(
      [
        c.port,
        c.host,
        c.upstream,
        c.upstreamMode,
        c.onUnsupported,
        c.citations,
        c.demo,
        c.allowedOrigins,
        c.maxConcurrent,
        c.log,
      ],
      [
        0,
        '::1',
        'http://127.0.0.1:9000',
        'compat',
        'ignore',
        'field',
        true,
        ['http://localhost:3000'],
        4,
        'debug',
      ],
    );
  });

  for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.2', '127.0.0.2', '']) {
    it(`refuses host ${JSON.stringify(host)}`, () => {
      configError(() => resolveConfig({ host }), /Refusing to listen on/);
    });
  }

  for (const port of [-1, 65536, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`refuses port ${port}`, () => {
      configError(() => resolveConfig({ port }), /^Invalid port/);
    });
  }

  for (const port of [0, 1, 65535]) {
    it(`accepts port ${port}`, () => {
      assert.equal(resolveConfig({ port }).port, port);
    });
  }

  it('trims the project id; blank means none', () => {
    assert.equal(resolveConfig({ project: ' 12345 ' }).project, '12345');
    assert.equal(resolveConfig({ project: '' }).project, undefined);
    assert.equal(resolveConfig({ project: '   ' }).project, undefined);
    assert.equal(resolveConfig({ project: 'a'.repeat(64) }).project, 'a'.repeat(64));
  });

  for (const project of ['12/34', '../1', '1 2', 'a'.repeat(65), '1?x=2', '%31']) {
    it(`refuses project id ${JSON.stringify(project)}`, () => {
      configError(() => resolveConfig({ project }), /^Invalid project id/);
    });
  }

  for (const upstream of [
    'not a url',
    'ftp://example.com',
    'file:///etc/passwd',
    '',
    'app.customgpt.ai',
  ]) {
    it(`refuses upstream ${JSON.stringify(upstream)}`, () => {
      configError(() => resolveConfig({ upstream }), /^Invalid --upstream URL/);
    });
  }

  it('accepts http and https upstreams', () => {
    assert.equal(resolveConfig({ upstream: 'http://localhost:1' }).upstream, 'http://localhost:1');
    assert.equal(
      resolveConfig({ upstream: 'https://staging.example/api' }).upstream,
      'https://staging.example/api',
    );
  });

  it('refuses a token shorter than 16 characters, after trimming', () => {
    configError(() => resolveConfig({ token: 'short' }), /at least 16 characters/);
    configError(() => resolveConfig({ token: 'x'.repeat(15) }), /at least 16 characters/);
    configError(() => resolveConfig({ token: `  ${'x'.repeat(15)}  ` }), /at least 16/);
  });

  it('the token error does not echo the token', () => {
    const e = configError(() => resolveConfig({ token: 'sekrit-tok' }), /16/);
    assert.ok(!e.message.includes('sekrit-tok'));
  });

  it('keeps a 16+ character token trimmed; blank means none (random later)', () => {
    assert.equal(resolveConfig({ token: ` ${'t'.repeat(16)} ` }).token, 't'.repeat(16));
    assert.equal(resolveConfig({ token: '   ' }).token, undefined);
  });

  it('trims the api key; blank means none', () => {
    assert.equal(resolveConfig({ apiKey: ' key-1 \n' }).apiKey, 'key-1');
    assert.equal(resolveConfig({ apiKey: ' ' }).apiKey, undefined);
  });

  it('refuses a non-positive max-concurrent (no request could ever be served)', () => {
    configError(() => resolveConfig({ maxConcurrent: 0 }), /concurrent/);
  });

  it('the upstream timeout also bounds silence inside a stream, unless that is set apart', () => {
    const c = resolveConfig({ upstreamTimeoutMs: 5000 });
    assert.deepEqual([c.upstreamTimeoutMs, c.streamIdleTimeoutMs], [5000, 5000]);
    const apart = resolveConfig({ upstreamTimeoutMs: 5000, streamIdleTimeoutMs: 300 });
    assert.deepEqual([apart.upstreamTimeoutMs, apart.streamIdleTimeoutMs], [5000, 300]);
    configError(() => resolveConfig({ upstreamTimeoutMs: 0 }), /upstream-timeout/);
  });

  it('DEFAULTS is what resolveConfig({}) starts from', () => {
    const c = resolveConfig({});
    assert.equal(c.port, DEFAULTS.port);
    assert.equal(c.sessionTtlMs, DEFAULTS.sessionTtlMs);
  });
});

describe('parseCli', () => {
  it('no flags, no env: all undefined except booleans', () => {
    assert.deepEqual(parseCli([], {}), {
      help: false,
      stdinLifeline: false,
      mcpStdio: false,
      rehearse: true,
      options: {
        port: undefined,
        host: undefined,
        project: undefined,
        upstream: undefined,
        upstreamMode: undefined,
        onUnsupported: undefined,
        citations: undefined,
        allowedOrigins: undefined,
        maxConcurrent: undefined,
        upstreamTimeoutMs: undefined,
        demo: false,
        log: undefined,
        apiKey: undefined,
        token: undefined,
      },
    });
  });

  it('--no-upstream-http2 keeps the upstream on HTTP/1.1', () => {
    assert.equal(parseCli(['--no-upstream-http2'], {}).options.upstreamHttp2, false);
    assert.equal(resolveConfig(parseCli([], {}).options).upstreamHttp2, true);
  });

  it('--no-spare-conversations turns spare conversations off', () => {
    assert.equal(parseCli(['--no-spare-conversations'], {}).options.spareConversations, false);
    assert.equal(resolveConfig(parseCli([], {}).options).spareConversations, true);
  });

  it('reads every flag', () => {
    const cli = parseCli(
      [
        '--port',
        '9000',
        '--host',
        '::1',
        '--project',
        '42',
        '--upstream',
        'http://127.0.0.1:1',
        '--upstream-mode',
        'compat',
        '--on-unsupported',
        'ignore',
        '--citations',
        'field',
        '--allow-origin',
        'http://a.example',
        '--allow-origin=http://b.example',
        '--max-concurrent',
        '8',
        '--upstream-timeout',
        '20',
        '--demo',
        '--stdin-lifeline',
        '--mcp-stdio',
        '--no-rehearsal',
        '--log',
        'warn',
        '-h',
      ],
      {},
    );
    assert.deepEqual(cli, {
      help: true,
      stdinLifeline: true,
      mcpStdio: true,
      rehearse: false,
      options: {
        port: 9000,
        host: '::1',
        project: '42',
        upstream: 'http://127.0.0.1:1',
        upstreamMode: 'compat',
        onUnsupported: 'ignore',
        citations: 'field',
        allowedOrigins: ['http://a.example', 'http://b.example'],
        maxConcurrent: 8,
        upstreamTimeoutMs: 20_000,
        demo: true,
        log: 'warn',
        apiKey: undefined,
        token: undefined,
      },
    });
  });

  for (const value of ['0', '3601', '-1', '1.5', 'ten', '']) {
    it(`--upstream-timeout ${JSON.stringify(value)} -> ConfigError naming the flag`, () => {
      configError(() => parseCli([`--upstream-timeout=${value}`], {}), /--upstream-timeout/);
    });
  }

  it('--upstream-timeout is in seconds and is in --help', () => {
    assert.equal(parseCli(['--upstream-timeout', '1'], {}).options.upstreamTimeoutMs, 1000);
    assert.equal(parseCli(['--upstream-timeout=3600'], {}).options.upstreamTimeoutMs, 3_600_000);
    assert.match(USAGE, /--upstream-timeout SECONDS/);
    assert.match(USAGE, /default 60/);
  });

  it('reads secrets and the project from the environment', () => {
    const cli = parseCli([], {
      CUSTOMGPT_API_KEY: 'api-key-123',
      CUSTOMGPT_PROJECT_ID: '777',
      CUSTOMGPT_BRIDGE_TOKEN: 'bridge-token-0123456789',
    });
    assert.equal(cli.options.apiKey, 'api-key-123');
    assert.equal(cli.options.project, '777');
    assert.equal(cli.options.token, 'bridge-token-0123456789');
  });

  it('--project wins over CUSTOMGPT_PROJECT_ID', () => {
    assert.equal(parseCli(['--project', '1'], { CUSTOMGPT_PROJECT_ID: '2' }).options.project, '1');
  });

  it('has no flag for secrets (argv is visible to every local user)', () => {
    assert.throws(() => parseCli(['--api-key', 'k'], {}), {
      code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION',
    });
    assert.throws(() => parseCli(['--token', 't'], {}), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });

  it('throws on an unknown flag or a positional argument', () => {
    assert.throws(() => parseCli(['--bogus'], {}), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    assert.throws(() => parseCli(['serve'], {}), { code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' });
  });

  const badEnums: Array<[string, string]> = [
    ['upstream-mode', 'proxy'],
    ['on-unsupported', 'maybe'],
    ['citations', 'inline'],
    ['log', 'verbose'],
    ['log', 'INFO'],
  ];
  for (const [flag, value] of badEnums) {
    it(`--${flag} ${value} -> ConfigError naming the flag and the value`, () => {
      const e = configError(
        () => parseCli([`--${flag}`, value], {}),
        new RegExp(`^--${flag} must be one of`),
      );
      assert.ok(e.message.includes(`"${value}"`), e.message);
    });
  }

  for (const value of ['abc', '80.5', '1e3', '', '0x50', '+1']) {
    it(`--port ${JSON.stringify(value)} -> ConfigError`, () => {
      configError(() => parseCli([`--port=${value}`], {}), /^--port must be a whole number/);
    });
  }

  it('--max-concurrent must be a whole number', () => {
    configError(() => parseCli(['--max-concurrent', 'lots'], {}), /^--max-concurrent must be/);
  });

  it('a port too large passes parsing and is refused by resolveConfig', () => {
    const cli = parseCli(['--port', '70000'], {});
    assert.equal(cli.options.port, 70000);
    configError(() => resolveConfig(cli.options), /^Invalid port 70000/);
  });

  it('parseCli + resolveConfig refuse a non-loopback --host', () => {
    configError(() => resolveConfig(parseCli(['--host', '0.0.0.0'], {}).options), /Refusing/);
  });

  it('parseCli + resolveConfig refuse a short CUSTOMGPT_BRIDGE_TOKEN', () => {
    const cli = parseCli([], { CUSTOMGPT_BRIDGE_TOKEN: 'short' });
    configError(() => resolveConfig(cli.options), /CUSTOMGPT_BRIDGE_TOKEN/);
  });
});
