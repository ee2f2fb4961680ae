// With customgpt.citations = "append" the bridge writes a Markdown Sources list at the end of the
// answer ("\n\n**Sources**\n1. [title](url)..."). The chat panel shows citations as its own
// Sources list, so it removes that tail once the citations field has arrived: one list, not two.

const APPENDED_SOURCES = /\n\n\*\*Sources\*\*\n(?:\d+\. [^\n]*(?:\n|$))+\s*$/;

export function stripAppendedSources(answer: string): string {
  return answer.replace(APPENDED_SOURCES, '');
}
