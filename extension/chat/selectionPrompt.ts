// "Ask About Selection" quotes the editor selection under the user's question as a code block.

/** A fence longer than any backtick run inside the text, so the quote cannot be broken out of. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function promptWithSelection(
  question: string,
  selection: { text: string; languageId: string; fileName: string },
): string {
  const fence = fenceFor(selection.text);
  return [
    question,
    '',
    `Selected from ${selection.fileName}:`,
    `${fence}${selection.languageId}`,
    selection.text,
    fence,
  ].join('\n');
}

/** What the chat panel shows for an Ask About Selection turn (the prompt sent is longer). */
export interface ShownQuestion {
  text: string;
  /** "file.ts:10-24": where the quoted selection comes from. */
  reference?: string;
  /** The first lines of the selection, for a compact quoted block. */
  quote?: string;
}

/**
 * "file.ts:10-24" from a 0-based selection range, as a person reads line numbers. A selection
 * that ends at the start of a line (whole lines selected with Shift+Down) does not include it.
 */
export function selectionReference(
  fileName: string,
  range: { startLine: number; endLine: number; endCharacter: number },
): string {
  const first = range.startLine + 1;
  const lastLine =
    range.endCharacter === 0 && range.endLine > range.startLine ? range.endLine - 1 : range.endLine;
  const last = lastLine + 1;
  return last > first ? `${fileName}:${first}-${last}` : `${fileName}:${first}`;
}

/** The selection's first `maxLines` lines (blank edges dropped), with "…" when there is more. */
export function quotePreview(text: string, maxLines = 6): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*\n|\n\s*$/g, '')
    .split('\n');
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push('…');
  return shown.join('\n');
}
