// Who holds the port? Before spawning, a window asks: nothing (spawn), our own bridge from another
// window (attach), or something else: a program that is not a bridge, or one that cannot prove
// it holds our token (another VS Code instance or user, an old bridge, or a squatter).
//
// Trust: anything local can listen on the port and answer /bridge/health like a bridge. So the
// token is never sent to a peer before it proved it holds the same token: the window sends a
// fresh random nonce to the unauthenticated GET /bridge/identity and checks the answer,
// HMAC-SHA256(token, port, nonce), in constant time (bridge/http/identity.ts). Only then does it
// call /bridge/info with the token. Nothing the peer reports (its url, its port) is used to
// address it later: callers build http://127.0.0.1:<the port they probed>.
import { randomBytes } from 'node:crypto';
import { IDENTITY_PATH, verifyIdentityProof } from '../../bridge/http/identity';
import type { HealthBody, IdentityBody, InfoBody } from '../../bridge/protocol';
import { isRecord } from '../../shared/isRecord';
import { getJson } from '../core/httpJson';
import { baseOrigin } from './bridgeState';

export type ProbeResult =
  | { kind: 'free' }
  /** Proven to hold our token. `info.url` and `info.port` are the ones we built, not its own. */
  | { kind: 'ours'; info: InfoBody }
  /** Answers health like a bridge but did not prove it holds our token. */
  | { kind: 'unproven-bridge'; detail: string }
  | { kind: 'other'; detail: string };

function isHealth(body: unknown): body is HealthBody {
  return isRecord(body) && body.ok === true && body.service === 'customgpt-bridge';
}

function isInfo(body: unknown): body is InfoBody {
  return isRecord(body) && body.service === 'customgpt-bridge';
}

/** A fresh challenge per probe: 32 random bytes, base64url. */
export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

/** GET /bridge/identity with a fresh nonce; true only for a correct proof for this port. */
export async function proveIdentity(port: number, token: string): Promise<true | string> {
  const nonce = newNonce();
  const answer = await getJson(`${baseOrigin(port)}${IDENTITY_PATH}?nonce=${nonce}`, {
    timeoutMs: 1500,
  });
  if (answer.kind !== 'response') {
    return answer.kind === 'refused' ? 'connection refused' : answer.reason;
  }
  if (answer.status !== 200 || !isRecord(answer.body)) {
    return `GET ${IDENTITY_PATH} answered ${answer.status}`;
  }
  const body = answer.body as Partial<IdentityBody>;
  return verifyIdentityProof(token, port, nonce, body.proof) ? true : 'wrong identity proof';
}

export async function probeBridge(port: number, token: string): Promise<ProbeResult> {
  const origin = baseOrigin(port);
  const health = await getJson(`${origin}/bridge/health`, { timeoutMs: 1500 });
  if (health.kind === 'refused') return { kind: 'free' };
  if (health.kind === 'failed') return { kind: 'other', detail: health.reason };
  if (health.status !== 200 || !isHealth(health.body)) {
    return { kind: 'other', detail: `GET /bridge/health answered ${health.status}` };
  }
  const proof = await proveIdentity(port, token);
  if (proof !== true) return { kind: 'unproven-bridge', detail: proof };
  // Proven: only now may the token travel.
  const info = await getJson(`${origin}/bridge/info`, { token, timeoutMs: 1500 });
  if (info.kind === 'refused') return { kind: 'free' };
  if (info.kind === 'failed') return { kind: 'other', detail: info.reason };
  if (info.status === 200 && isInfo(info.body)) {
    const body = info.body;
    return {
      kind: 'ours',
      info: {
        ...body,
        port,
        url: `${origin}/v1`,
        pid: Number.isInteger(body.pid) && body.pid > 1 ? body.pid : 0,
      },
    };
  }
  return { kind: 'unproven-bridge', detail: `GET /bridge/info answered ${info.status}` };
}

/** Waits until nothing answers on the port (after asking another window's bridge to exit). */
export async function waitUntilFree(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await getJson(`${baseOrigin(port)}/bridge/health`, { timeoutMs: 500 });
    if (health.kind === 'refused') return true;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return false;
}
