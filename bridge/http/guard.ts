// The checks every request passes before the bridge does anything for it. The bridge holds a
// paid key on a port that every local process and every browser tab can reach, so: a known
// Host (stops DNS rebinding), no foreign Origin (stops cross-site requests from web pages), and
// the local bearer token compared in constant time.
import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BridgeError } from './openai-error';

export class Guard {
  private readonly tokenDigest: Buffer;
  private readonly origins: Set<string>;
  private hosts = new Set<string>();

  constructor(token: string, allowedOrigins: readonly string[]) {
    this.tokenDigest = digest(token);
    this.origins = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  }

  /** Call once the port is known. */
  listeningOn(port: number): void {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  }

  /** Host and Origin checks; throws a 403 BridgeError. */
  checkSource(req: IncomingMessage): void {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host)) {
      throw new BridgeError(
        403,
        'Forbidden host: the bridge only answers requests addressed to 127.0.0.1, localhost or [::1] on its port.',
        'permission_error',
        'forbidden_host',
      );
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) {
      throw new BridgeError(
        403,
        'Forbidden origin: browser pages may not call the bridge unless their origin is allowed (--allow-origin).',
        'permission_error',
        'forbidden_origin',
      );
    }
  }

  originAllowed(origin: string): boolean {
    return this.origins.has(origin.replace(/\/+$/, '').toLowerCase());
  }

  /** Bearer token check in constant time; throws a 401 that never echoes what was sent. */
  checkToken(req: IncomingMessage): void {
    const auth = req.headers.authorization;
    // The scheme name is case-insensitive (RFC 9110 §11.1).
    const given = auth && /^bearer /i.test(auth) ? auth.slice(7).trim() : '';
    if (given === '' || !timingSafeEqual(digest(given), this.tokenDigest)) {
      throw new BridgeError(
        401,
        given === ''
          ? 'Missing bearer token: send "Authorization: Bearer <token>" with the token the bridge printed (or copy it in VS Code: "CustomGPT: Copy Token").'
          : 'Incorrect bearer token: use the token the bridge printed (or copy it in VS Code: "CustomGPT: Copy Token").',
        'invalid_request_error',
        'invalid_api_key',
      );
    }
  }
}

// Comparing fixed-length digests keeps the comparison constant-time whatever the input length.
// The one-shot hash makes no Hash object: every request pays this (about 0.9 instead of 1.4 µs).
function digest(s: string): Buffer {
  return hash('sha256', s, 'buffer');
}
