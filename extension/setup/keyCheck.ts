// Checks a CustomGPT.ai key when it is entered, with one cheap authenticated call (GET
// /api/v1/user) against the configured API, so a wrong key is caught at once instead of at the
// first question. Straight from the extension host: the bridge may not run yet (first key).

/** The public service, as the bridge defaults to it (bridge/config.ts DEFAULT_UPSTREAM). */
const DEFAULT_UPSTREAM_ORIGIN = 'https://app.customgpt.ai';

export type KeyVerdict =
  | { kind: 'accepted' }
  | { kind: 'rejected'; status: number }
  /** Could not tell (offline, service down): the key is kept, the person is told. */
  | { kind: 'unverified'; reason: string };

/** Pure: what an HTTP status of GET /api/v1/user says about the key. */
export function verdictOf(status: number): KeyVerdict {
  if (status >= 200 && status < 300) return { kind: 'accepted' };
  if (status === 401 || status === 403) return { kind: 'rejected', status };
  if (status === 429) return { kind: 'unverified', reason: 'CustomGPT.ai is rate-limiting it' };
  return { kind: 'unverified', reason: `CustomGPT.ai answered ${status}` };
}

export async function checkApiKey(
  upstreamUrl: string,
  key: string,
  timeoutMs = 15_000,
): Promise<KeyVerdict> {
  const base = (upstreamUrl || DEFAULT_UPSTREAM_ORIGIN).replace(/\/+$/, '');
  try {
    const response = await fetch(`${base}/api/v1/user`, {
      headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel().catch(() => undefined);
    return verdictOf(response.status);
  } catch (error) {
    const name = (error as { name?: unknown })?.name;
    return {
      kind: 'unverified',
      reason:
        name === 'TimeoutError'
          ? 'CustomGPT.ai did not answer in time'
          : 'CustomGPT.ai could not be reached',
    };
  }
}
