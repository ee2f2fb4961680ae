import * as assert from 'node:assert/strict';
import { makeRedactor as bridgeRedactor } from '../../../../bridge/log';
import { RedactingLogger } from '../../../../extension/core/redactingLogger';
import { makeRedactor, REDACTED, redact } from '../../../../shared/redact';
import { RecordingLogger } from '../helpers';

describe('redaction', () => {
  const key = '1234|AbCdEfGhIjKlMnOp';
  const token = 'q1w2e3r4t5y6u7i8o9p0';

  it('masks every occurrence of known secrets', () => {
    const text = `key=${key} token=${token} again ${key}`;
    const out = redact(text, [key, token]);
    assert.ok(!out.includes(key));
    assert.ok(!out.includes(token));
    assert.equal(out.split(REDACTED).length - 1, 3);
  });

  it('masks bearer credentials it does not know', () => {
    assert.equal(
      redact('authorization: Bearer sk-unknown-secret-value', []),
      `authorization: Bearer ${REDACTED}`,
    );
  });

  it("leaves the bridge's own advice about bearer tokens readable", () => {
    const advice =
      'Missing bearer token: send "Authorization: Bearer <token>" with the token the bridge printed.';
    assert.equal(redact(advice, ['q1w2e3r4t5y6u7i8o9p0']), advice);
  });

  it('ignores empty or tiny secrets instead of mangling text', () => {
    assert.equal(redact('a b c', ['', undefined, 'a']), 'a b c');
  });

  it('redacts bridge stderr lines and keeps their level', () => {
    const sink = new RecordingLogger();
    const logger = new RedactingLogger(sink, () => [key, token]);
    logger.bridgeLine(JSON.stringify({ level: 'error', msg: `upstream said ${key}` }));
    logger.bridgeLine(JSON.stringify({ level: 'warn', msg: 'slow', token }));
    logger.bridgeLine(`plain text with ${token}`);
    logger.info(`extension line ${key}`);
    assert.equal(sink.lines.length, 4);
    assert.match(sink.lines[0] ?? '', /^error \[bridge\] upstream said \[redacted\]$/);
    assert.match(sink.lines[1] ?? '', /^warn \[bridge\] slow/);
    assert.match(sink.lines[2] ?? '', /^info \[bridge\] plain text/);
    for (const line of sink.lines) {
      assert.ok(!line.includes(key) && !line.includes(token), line);
    }
  });

  it('is the one redactor the bridge uses too, with the same rules on both sides', () => {
    assert.equal(bridgeRedactor, makeRedactor);
    // The bridge's rules (JSON-escaped secrets) and the extension's (unknown bearer credentials)
    // now hold everywhere.
    const quoted = 'ab"cdef\\gh';
    const out = makeRedactor([quoted])(`${JSON.stringify({ k: quoted })} Bearer sk-unknown-123456`);
    assert.equal(out, `{"k":"${REDACTED}"} Bearer ${REDACTED}`);
  });
});
