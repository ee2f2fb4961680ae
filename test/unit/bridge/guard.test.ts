// The guard in front of every request: Host allow-list (DNS rebinding), Origin refusal, and the
// local bearer token.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Guard } from '../../../bridge/http/guard.js';
import { expectBridgeError } from './expect-error.js';

const PORT = 8765;
const TOKEN = 'local-token-0123456789abcdef';
const req = (headers: Record<string, string>) => ({ headers }) as IncomingMessage;

const forbiddenHost = {
  status: 403,
  type: 'permission_error',
  code: 'forbidden_host',
  param: null,
} as const;
const forbiddenOrigin = {
  status: 403,
  type: 'permission_error',
  code: 'forbidden_origin',
  param: null,
} as const;
const unauthorized = {
  status: 401,
  type: 'invalid_request_error',
  code: 'invalid_api_key',
  param: null,
} as const;

function guard(origins: string[] = []): Guard {
  const g = new Guard(TOKEN, origins);
  g.listeningOn(PORT);
  return g;
}

describe('Guard.checkSource', () => {
  for (const host of [
    `127.0.0.1:${PORT}`,
    `localhost:${PORT}`,
    `[::1]:${PORT}`,
    `LOCALHOST:${PORT}`,
    `LocalHost:${PORT}`,
  ]) {
    it(`accepts Host ${host}`, () => {
      assert.doesNotThrow(() => guard().checkSource(req({ host })));
    });
  }

  for (const host of [
    `evil.example:${PORT}`,
    `127.0.0.1.nip.io:${PORT}`,
    `localhost.evil.example:${PORT}`,
    `localhost:${PORT + 1}`,
    `127.0.0.1:${PORT}0`,
    '127.0.0.1',
    'localhost',
    `0.0.0.0:${PORT}`,
    `127.0.0.2:${PORT}`,
    `[::ffff:127.0.0.1]:${PORT}`,
    `::1:${PORT}`,
    ` localhost:${PORT}`,
    '',
  ]) {
    it(`refuses Host ${JSON.stringify(host)} with 403 forbidden_host`, () => {
      expectBridgeError(() => guard().checkSource(req({ host })), forbiddenHost);
    });
  }

  it('refuses a request without Host', () => {
    expectBridgeError(() => guard().checkSource(req({})), forbiddenHost);
  });

  it('refuses every Host before listeningOn is called', () => {
    const g = new Guard(TOKEN, []);
    expectBridgeError(() => g.checkSource(req({ host: `127.0.0.1:${PORT}` })), forbiddenHost);
  });

  it('follows the port given to listeningOn, last call wins', () => {
    const g = new Guard(TOKEN, []);
    g.listeningOn(1111);
    g.listeningOn(2222);
    assert.doesNotThrow(() => g.checkSource(req({ host: '127.0.0.1:2222' })));
    expectBridgeError(() => g.checkSource(req({ host: '127.0.0.1:1111' })), forbiddenHost);
  });

  it('accepts no Origin (non-browser clients)', () => {
    assert.doesNotThrow(() => guard().checkSource(req({ host: `localhost:${PORT}` })));
  });

  for (const origin of [
    'https://evil.example',
    `http://localhost:${PORT}`,
    'null',
    '',
    'vscode-webview://abc',
  ]) {
    it(`refuses Origin ${JSON.stringify(origin)} unless allowed`, () => {
      expectBridgeError(
        () => guard().checkSource(req({ host: `localhost:${PORT}`, origin })),
        forbiddenOrigin,
      );
    });
  }

  it('accepts an allowed Origin, normalising trailing slashes and case both ways', () => {
    const g = guard(['HTTP://LocalHost:3000/', 'https://app.example']);
    for (const origin of [
      'http://localhost:3000',
      'http://LOCALHOST:3000/',
      'https://app.example//',
      'HTTPS://APP.EXAMPLE',
    ]) {
      assert.doesNotThrow(() => g.checkSource(req({ host: `127.0.0.1:${PORT}`, origin })), origin);
    }
  });

  it('still refuses other origins when some are allowed (ports and schemes count)', () => {
    const g = guard(['http://localhost:3000']);
    for (const origin of [
      'http://localhost:3001',
      'https://localhost:3000',
      'http://localhost',
      'http://localhost:3000.evil.example',
    ]) {
      expectBridgeError(
        () => g.checkSource(req({ host: `127.0.0.1:${PORT}`, origin })),
        forbiddenOrigin,
      );
    }
  });

  it('checks Host before Origin', () => {
    expectBridgeError(
      () => guard().checkSource(req({ host: 'evil.example', origin: 'https://evil.example' })),
      forbiddenHost,
    );
  });

  it('originAllowed reports the normalised allow-list', () => {
    const g = guard(['https://a.example/']);
    assert.equal(g.originAllowed('https://A.example'), true);
    assert.equal(g.originAllowed('https://b.example'), false);
  });
});

describe('Guard.checkToken', () => {
  it('accepts the right token', () => {
    assert.doesNotThrow(() => guard().checkToken(req({ authorization: `Bearer ${TOKEN}` })));
  });

  it('accepts the right token with surrounding spaces', () => {
    assert.doesNotThrow(() => guard().checkToken(req({ authorization: `Bearer  ${TOKEN} ` })));
  });

  it('refuses a missing Authorization header with a "Missing" 401', () => {
    const e = expectBridgeError(() => guard().checkToken(req({})), unauthorized);
    assert.match(e.message, /^Missing bearer token/);
  });

  for (const authorization of ['', 'Bearer', 'Bearer ', 'Bearer    ', `Basic ${TOKEN}`, TOKEN]) {
    it(`refuses Authorization ${JSON.stringify(authorization)} as missing`, () => {
      const e = expectBridgeError(() => guard().checkToken(req({ authorization })), unauthorized);
      assert.match(e.message, /^Missing bearer token/);
      if (authorization.includes(TOKEN)) assert.ok(!e.message.includes(TOKEN));
    });
  }

  for (const given of [
    'wrong-token-that-is-long-enough',
    TOKEN.slice(0, -1),
    `${TOKEN}x`,
    TOKEN.toUpperCase(),
    'x',
    'Bearer',
  ]) {
    it(`refuses the wrong token ${JSON.stringify(given)} without echoing it`, () => {
      const e = expectBridgeError(
        () => guard().checkToken(req({ authorization: `Bearer ${given}` })),
        unauthorized,
      );
      assert.match(e.message, /^Incorrect bearer token/);
      assert.ok(!e.message.includes(given), e.message);
      assert.ok(!e.message.includes(TOKEN), e.message);
      assert.ok(!JSON.stringify(e.body()).includes(given));
      assert.deepEqual(e.headers, {});
    });
  }

  it('accepts the scheme in any case (RFC 7235: auth-scheme is case-insensitive)', () => {
    assert.doesNotThrow(() => guard().checkToken(req({ authorization: `bearer ${TOKEN}` })));
    assert.doesNotThrow(() => guard().checkToken(req({ authorization: `BEARER ${TOKEN}` })));
  });

  it('does not depend on listeningOn', () => {
    const g = new Guard(TOKEN, []);
    assert.doesNotThrow(() => g.checkToken(req({ authorization: `Bearer ${TOKEN}` })));
  });
});
