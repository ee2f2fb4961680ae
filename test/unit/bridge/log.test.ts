// Structured logging: one JSON line per record, levels filter, Errors serialised, and the
// secrets of the process never written out.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createLogger, makeRedactor, silentLogger } from '../../../bridge/log.js';

const API_KEY = '4321|AbCdEfGhIjKlMnOpQrStUvWxYz';
const TOKEN = 'local-bridge-token-0123456789';

function capture(level?: 'debug' | 'info' | 'warn' | 'error', secrets = [API_KEY, TOKEN]) {
  const lines: string[] = [];
  const log = createLogger({ level, secrets, write: (line) => lines.push(line) });
  const records = () =>
    lines.map((l) => {
      assert.ok(l.endsWith('\n'), 'each record ends with a newline');
      assert.equal(l.indexOf('\n'), l.length - 1, 'one line per record');
      return JSON.parse(l) as Record<string, unknown>;
    });
  return { log, lines, records };
}

describe('makeRedactor', () => {
  it('replaces every occurrence of every secret', () => {
    const redact = makeRedactor([API_KEY, TOKEN]);
    assert.equal(
      redact(`key=${API_KEY} token=${TOKEN} again ${API_KEY}`),
      'key=[redacted] token=[redacted] again [redacted]',
    );
  });

  it('leaves text without secrets untouched', () => {
    assert.equal(makeRedactor([API_KEY])('nothing to see'), 'nothing to see');
  });

  it('ignores undefined and too-short secrets (under 4 characters)', () => {
    const redact = makeRedactor([undefined, 'abc', '', 'abcd']);
    assert.equal(redact('abc abcd abcde'), 'abc [redacted] [redacted]e');
  });

  it('with no usable secrets is the identity', () => {
    const redact = makeRedactor([undefined, 'ab']);
    assert.equal(redact('ab cd'), 'ab cd');
  });

  it('treats secrets literally, not as patterns', () => {
    const redact = makeRedactor(['a.b*c']);
    assert.equal(redact('a.b*c axbbbc'), '[redacted] axbbbc');
  });

  it('leaves no piece of a secret that contains another secret, whatever the order', () => {
    // e.g. the API key happens to contain the bridge token, or the other way round.
    const long = 'xxxx-SECRET-yyyy';
    const short = 'SECRET';
    for (const secrets of [
      [short, long],
      [long, short],
    ]) {
      const out = makeRedactor(secrets)(`v=${long}`);
      assert.equal(out, 'v=[redacted]', JSON.stringify(secrets));
    }
  });

  it('no secret survives (property)', () => {
    const secret = fc.string({ minLength: 8, maxLength: 24 }).filter((s) => !/[[\]]/.test(s));
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (s, before, after) => {
        const out = makeRedactor([s])(`${before}${s}${after}`);
        assert.ok(!out.includes(s));
      }),
    );
  });
});

describe('createLogger', () => {
  it('writes one JSON line with time, level, msg and the fields', () => {
    const { log, records } = capture();
    log.info('listening', { port: 8765, mode: 'native' });
    const [r] = records();
    assert.ok(r);
    assert.deepEqual(Object.keys(r), ['time', 'level', 'msg', 'port', 'mode']);
    assert.deepEqual(
      { level: r.level, msg: r.msg, port: r.port, mode: r.mode },
      { level: 'info', msg: 'listening', port: 8765, mode: 'native' },
    );
    assert.equal(typeof r.time, 'string');
    assert.equal(new Date(r.time as string).toISOString(), r.time);
  });

  it('defaults to level info', () => {
    const { log, records } = capture(undefined);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    assert.deepEqual(
      records().map((r) => r.level),
      ['info', 'warn', 'error'],
    );
  });

  const expected: Record<string, string[]> = {
    debug: ['debug', 'info', 'warn', 'error'],
    info: ['info', 'warn', 'error'],
    warn: ['warn', 'error'],
    error: ['error'],
  };
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    it(`level ${level} writes ${expected[level]?.join(', ')}`, () => {
      const { log, records } = capture(level);
      log.debug('d');
      log.info('i');
      log.warn('w');
      log.error('e');
      assert.deepEqual(
        records().map((r) => [r.level, r.msg]),
        (expected[level] ?? []).map((l) => [l, l[0]]),
      );
    });
  }

  it('serialises Errors as name and message, at any depth', () => {
    const { log, records } = capture();
    const err = new TypeError('bad thing');
    log.error('failed', { err, nested: { cause: new RangeError('too far') } });
    const [r] = records();
    assert.deepEqual(r?.err, { name: 'TypeError', message: 'bad thing' });
    assert.deepEqual(r?.nested, { cause: { name: 'RangeError', message: 'too far' } });
  });

  it('never writes a secret: message, fields, Error messages', () => {
    const { log, lines } = capture('debug');
    log.debug(`calling with Bearer ${API_KEY}`);
    log.info('req', { headers: { authorization: `Bearer ${TOKEN}` } });
    log.warn('upstream said', { body: `{"error":"bad key ${API_KEY}"}` });
    log.error('boom', { err: new Error(`token ${TOKEN} rejected`) });
    assert.equal(lines.length, 4);
    for (const line of lines) {
      assert.ok(!line.includes(API_KEY), line);
      assert.ok(!line.includes(TOKEN), line);
      assert.ok(line.includes('[redacted]'), line);
    }
  });

  it('never writes a secret that JSON escapes (quotes, backslashes)', () => {
    const secret = 'tok"en\\with-quote';
    const { log, lines, records } = capture('info', [secret]);
    log.info(`the secret is ${secret}`, { copy: secret });
    const [r] = records();
    assert.ok(!String(r?.msg).includes(secret), lines[0]);
    assert.ok(!String(r?.copy).includes(secret), lines[0]);
  });

  it('the secret is redacted even when it equals a field name', () => {
    const { log, lines } = capture('info', [API_KEY]);
    log.info('x', { [API_KEY]: 1 });
    assert.ok(!lines[0]?.includes(API_KEY));
  });

  it('silentLogger writes nothing and does not throw', () => {
    assert.doesNotThrow(() => {
      silentLogger.debug('x');
      silentLogger.info('x', { a: 1 });
      silentLogger.warn('x');
      silentLogger.error('x', { err: new Error('e') });
    });
  });
});
