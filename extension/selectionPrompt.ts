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
