import * as assert from 'node:assert/strict';
import { CHAT_USER_AGENT, clientLabel } from '../../../../extension/status/clientLabel';

describe('client label (who sent a request, in words)', () => {
  const cases: [string, string][] = [
    [CHAT_USER_AGENT, 'CustomGPT chat'],
    ['ls/JS 5.23.2', 'Continue'], // @continuedev/cli 1.5.47, observed on the wire
    ['Continue/1.2.0', 'Continue'],
    ['RooCode/3.25.0', 'Roo Code'],
    ['Roo-Code 3.25.0', 'Roo Code'],
    ['Cline/3.20.0', 'Cline'],
    ['opencode/0.15.2 ai-sdk/provider-utils/3.0.0', 'opencode'],
    ['ai-sdk/openai-compatible/1.0.19', 'Vercel AI SDK'],
    ['ai/5.0.60 ai-sdk/provider-utils/3.0.10', 'Vercel AI SDK'],
    ['OpenAI/JS 7.59.0', 'OpenAI/JS'],
    ['OpenAI/Python 1.99.1', 'Python SDK'],
    ['python-requests/2.32.3', 'Python'],
    ['curl/8.5.0', 'curl'],
    ['node', 'Node.js fetch'],
    ['GitHubCopilotChat/0.31.0', 'Copilot Chat'],
    ['Zed/0.200.0', 'Zed'],
    ['unknown', 'an unknown client'],
    ['', 'an unknown client'],
    ['MyTool/2.1', 'MyTool'],
  ];
  for (const [ua, label] of cases) {
    it(`"${ua}" is ${label}`, () => assert.equal(clientLabel(ua), label));
  }
});
