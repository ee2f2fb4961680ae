// Who sent a request, in words a person recognizes, from the User-Agent's leading product tokens
// (the bridge reports at most 60 characters, up to the first " ("). Pure; the order matters:
// tools that embed an SDK name themselves before the SDK's own token.

/** The User-Agent of the extension's own chat panel (chatClient.ts sends it). */
export const CHAT_USER_AGENT = 'customgpt-vscode-chat/0.1.0';

const LABELS: readonly [RegExp, string][] = [
  [/^customgpt-vscode-chat\b/i, 'CustomGPT chat'],
  [/\broo-?code\b|\broo-?cline\b/i, 'Roo Code'],
  [/\bcline\b/i, 'Cline'],
  [/\bcontinue\b/i, 'Continue'],
  // @continuedev/cli 1.5.47 bundles openai-node minified: its class name, and so its
  // User-Agent, becomes "ls/JS 5.23.2" (observed on the wire, see test/bridge/continue-cli).
  [/^ls\/JS\b/, 'Continue'],
  [/\bopencode\b/i, 'opencode'],
  [/copilot/i, 'Copilot Chat'],
  [/^zed\b/i, 'Zed'],
  [/^ai-sdk\b|^ai\/\d/i, 'Vercel AI SDK'],
  [/^OpenAI\/JS\b/i, 'OpenAI/JS'],
  [/^OpenAI\/Python\b/i, 'Python SDK'],
  [/^python-(requests|httpx)\b|^python-urllib\b|^aiohttp\b/i, 'Python'],
  [/^curl\//i, 'curl'],
  [/^node(-fetch)?$|^undici\b/i, 'Node.js fetch'],
];

export function clientLabel(client: string): string {
  const ua = client.trim();
  if (!ua || ua === 'unknown') return 'an unknown client';
  for (const [pattern, label] of LABELS) if (pattern.test(ua)) return label;
  // Anything else: its product name without the version ("MyTool/2.1" -> "MyTool").
  return ua.split(/[/\s]/)[0]?.slice(0, 40) || 'an unknown client';
}
