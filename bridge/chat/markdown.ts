// Text from elsewhere (citation titles) placed into the Markdown the bridge appends to answers.
// Editor tools render answers as Markdown (CommonMark/GFM, often with HTML allowed), so such text
// must not be able to open a link, an image, a heading, a list, a code span, emphasis or HTML.

/** Every ASCII punctuation character: CommonMark lets each be backslash-escaped. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * Plain text as Markdown that renders as exactly that text, on one line: line breaks become
 * spaces and every ASCII punctuation character is backslash-escaped. That covers link and image
 * syntax (`[`, `]`, `(`, `!`), HTML and autolinks (`<`, `&`, `:`, `.`), emphasis (`*`, `_`,
 * `~`), code (`` ` ``), and the block markers that count after a list item's number (`#`, `>`,
 * `-`, `+`, `|`, `1.`).
 */
export function escapeMarkdownText(text: string): string {
  return oneLine(text).replace(PUNCTUATION, '\\$&');
}

/** What can start an inline construct inside a link's text (no autolink or linkify there). */
const LINK_TEXT_SPECIALS = /[\\`*_[\]<>!&~|$]/g;

/**
 * Plain text as the text of a Markdown link, on one line. Inside link text CommonMark forms no
 * other link and renderers do not linkify, so only what starts inline syntax (code, emphasis,
 * brackets, HTML, entities, images) is escaped: a URL used as a title stays readable.
 */
export function escapeLinkText(text: string): string {
  return oneLine(text).replace(LINK_TEXT_SPECIALS, '\\$&');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/**
 * An http(s) URL (already normalised by the WHATWG parser) as one Markdown link destination:
 * white space, angle brackets, parentheses and backslashes are percent-encoded, so the URL can
 * neither end the destination early nor smuggle in a backslash escape.
 */
export function markdownLinkDestination(url: string): string {
  return url.replace(
    /[\s()<>\\]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
