// Who holds the port? Before spawning, a window asks: nothing (spawn), our own bridge from another
// window (attach: same user, same token in the shared SecretStorage), a bridge that rejects our
// token (another VS Code instance or user), or some other program.
import type { HealthBody, InfoBody } from '../bridge/protocol';
import { baseOrigin } from './bridgeState';
import { getJson } from './httpJson';

export type ProbeResult =
  | { kind: 'free' }
  | { kind: 'ours'; info: InfoBody }
  | { kind: 'foreign-bridge' }
  | { kind: 'other'; detail: string };

function isHealth(body: unknown): body is HealthBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>).ok === true &&
    (body as Record<string, unknown>).service === 'customgpt-bridge'
  );
}

function isInfo(body: unknown): body is InfoBody {
  if (typeof body !== 'object' || body === null) return false;
  const info = body as Record<string, unknown>;
  return info.service === 'customgpt-bridge' && typeof info.url === 'string';
}

export async function probeBridge(port: number, token: string): Promise<ProbeResult> {
  const origin = baseOrigin(port);
  const health = await getJson(`${origin}/bridge/health`, { timeoutMs: 1500 });
  if (health.kind === 'refused') return { kind: 'free' };
  if (health.kind === 'failed') return { kind: 'other', detail: health.reason };
  if (health.status !== 200 || !isHealth(health.body)) {
    return { kind: 'other', detail: `GET /bridge/health answered ${health.status}` };
  }
  const info = await getJson(`${origin}/bridge/info`, { token, timeoutMs: 1500 });
  if (info.kind === 'refused') return { kind: 'free' };
  if (info.kind === 'failed') return { kind: 'other', detail: info.reason };
  if (info.status === 401 || info.status === 403) return { kind: 'foreign-bridge' };
  if (info.status === 200 && isInfo(info.body)) {
    const body = info.body;
    // Older or partial answers: fill what the rest of the extension relies on.
    return {
      kind: 'ours',
      info: { ...body, port: typeof body.port === 'number' ? body.port : port },
    };
  }
  return { kind: 'other', detail: `GET /bridge/info answered ${info.status}` };
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
