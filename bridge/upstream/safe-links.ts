// Citation data comes from the upstream and from whoever wrote the project's sources, so it is
// untrusted: a page's `url` may be `javascript:`, `data:text/html,...`, `vscode://...`, and its
// title may hold Markdown or HTML. The citation resolver passes every citation through here once,
// so every surface that shows citations (the Sources list, the `citations` field, later the
// Responses API and MCP) gets the same safe data: an http(s) URL or none, a one-line plain title.

/** Longer URLs are dropped (the API documents 2000 characters for a citation's url). */
export const MAX_URL_LENGTH = 2048;
/** Titles are cut to this many characters (the API documents 255). */
export const MAX_TITLE_LENGTH = 300;

/**
 * The URL as the WHATWG parser (`new URL`, as browsers) reads it, when it is an absolute http or
 * https URL without credentials; otherwise null. Parsing rather than matching a prefix catches
 * every disguise a browser would still follow: leading spaces and control characters, tabs and
 * newlines inside the scheme ("java\tscript:"), upper case, entity-free tricks. Relative and
 * unparsable URLs have no base to resolve against, so they are dropped too. Credentials
 * (`https://docs.example@evil.example`) are dropped because they only serve to deceive.
 */
export function safeHttpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url.href.length <= MAX_URL_LENGTH ? url.href : null;
}

/** C0 and C1 controls, and the Unicode line and paragraph separators: each becomes a space. */
const BREAKS = /[\p{Cc}\u2028\u2029]/gu;
/** Bidirectional overrides and isolates: they can make a title read differently than it is. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A title as one line of plain text: controls and line breaks become spaces, bidi controls go,
 * runs of white space collapse, at most MAX_TITLE_LENGTH characters; null when nothing is left.
 * Not Markdown-escaped: that belongs to whoever renders it as Markdown (the Sources list).
 */
export function plainTitle(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw
    .slice(0, MAX_TITLE_LENGTH * 4)
    .replace(BREAKS, ' ')
    .replace(BIDI, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return null;
  if (text.length <= MAX_TITLE_LENGTH) return text;
  // Cut on a code point boundary, never between the halves of a surrogate pair.
  return Array.from(text).slice(0, MAX_TITLE_LENGTH).join('').trimEnd();
}
