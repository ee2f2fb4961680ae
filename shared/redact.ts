// The one redactor, for the bridge and the extension alike: secrets must never reach a log line
// or an error message. The bridge redacts its stderr and the error messages it sends; the
// extension redacts everything it writes to its output channel (its own lines and the bridge's
// stderr, in case a misbehaving bridge or an upstream error echoing a header prints a secret).

export const REDACTED = '[redacted]';

/** Shorter values are not secrets worth hiding and would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * Anything shaped like a bearer credential, known or not, as an Authorization value spells it.
 * Prose is left alone: "Bearer <token>" (placeholder), "missing bearer token: send ..." (lower
 * case, and a credential does not end in ':').
 */
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=|:-]{5,}[A-Za-z0-9._~+/=|-]/g;

/**
 * Replaces every occurrence of each known secret (of 4+ chars), and any bearer credential, with
 * "[redacted]". Secrets are matched literally, also in their JSON-escaped form (bridge log lines
 * are JSON), longest first so a secret that contains another is not left half-visible.
 */
export function makeRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const raw = secrets.filter(
    (s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH,
  );
  const list = [...new Set([...raw, ...raw.map((s) => JSON.stringify(s).slice(1, -1))])].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out.replace(BEARER, `$1${REDACTED}`);
  };
}

/** One-off form of makeRedactor, for callers whose secrets change between calls. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return makeRedactor(secrets)(text);
}
