// The first 501 a client gets in a session becomes one notification in words: who (from the
// User-Agent), what it sent, and the way out. Pure: which record deserves a notice, and its text.

import { isToolParam } from '../core/errorWords';
import type { RequestRecord } from './activityView';
import { clientLabel } from './clientLabel';

export interface UnsupportedNotice {
  /** The client in words; one notice per client and session. */
  client: string;
  param: string;
  message: string;
  /** The button that switches `customgpt.onUnsupported` to `ignore`. */
  switchLabel: string;
}

export const EXPLAIN_LABEL = 'What Changes?';

export function unsupportedNotice(
  record: RequestRecord,
  alreadyNotified: ReadonlySet<string>,
): UnsupportedNotice | undefined {
  if (record.status !== 501 || record.code !== 'unsupported_parameter') return undefined;
  const client = clientLabel(record.client);
  if (alreadyNotified.has(client)) return undefined;
  const param = record.param ?? 'an unsupported parameter';
  const tools = isToolParam(record.param);
  const what = tools ? `"${param}" (tool calling)` : `"${param}"`;
  return {
    client,
    param,
    message: `CustomGPT: ${client} sent ${what}, which CustomGPT.ai cannot honor, so the bridge refused its request (501). ${client} shows it as an error.`,
    switchLabel: tools ? 'Answer Without Tools' : 'Ignore Such Parameters',
  };
}

/** The trade-off, for the explaining dialog. */
export const UNSUPPORTED_TRADE_OFF = [
  'With this switch (setting "customgpt.onUnsupported": "ignore") the bridge drops the parameters CustomGPT.ai cannot honor (tools, response_format, audio, ...) and answers with text from your project.',
  'Gained: tools that always send them (the agent modes of Continue, Cline, Roo Code, opencode) get answers instead of errors.',
  'Lost: the answer never calls the tool’s functions (no file edits or commands come out of it), and the tool is not told that its parameters were dropped. Keep "error" if you want such requests to fail visibly.',
  'The bridge restarts to apply it; you can switch back in Settings any time.',
].join('\n\n');
