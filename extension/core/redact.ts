// Secrets must never reach the log: the bridge's stderr is piped into the output channel, and a
// misbehaving bridge (or an upstream error echoing a header) could print the key or token.

export const REDACTED = '‹redacted›';

/** Shorter values are not secrets worth hiding and would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=|:-]{6,}/gi;

/** Replaces every known secret and anything shaped like a bearer credential. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out.replace(BEARER, `$1${REDACTED}`);
}
