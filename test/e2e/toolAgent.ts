// A tiny test-only extension, built by the test and never shipped: a tool-calling language
// model ("E2E Tool Agent") for VS Code's agent mode. Its answer to a question is a call to the
// CustomGPT.ai MCP server's ask_project tool with that question; once the tool result comes
// back, it answers "The project says: <result>". It writes what it saw (tool names, the call,
// the result) to tool-agent.json in the workspace, so the test can tell a missing tool from a
// failed call.
import { buildTestExtension } from './testExtension';

export const AGENT_VENDOR = 'customgpt-e2e-agent';
export const AGENT_MODEL_NAME = 'E2E Tool Agent';
export const AGENT_LOG_FILE = 'tool-agent.json';
export const ANSWER_PREFIX = 'The project says:';

export interface AgentLog {
  turns: { tools: string[]; called?: string; question?: string; result?: string }[];
}

const EXTENSION_JS = `
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const log = { turns: [] };
function save() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (folder) fs.writeFileSync(path.join(folder.uri.fsPath, '${AGENT_LOG_FILE}'), JSON.stringify(log, null, 2));
}
function textOf(parts) {
  let text = '';
  for (const p of parts || []) {
    if (p instanceof vscode.LanguageModelTextPart) text += p.value;
    else if (p instanceof vscode.LanguageModelToolResultPart) text += textOf(p.content);
    else if (p && typeof p.value === 'string') text += p.value;
  }
  return text;
}
exports.activate = (context) => {
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider('${AGENT_VENDOR}', {
    provideLanguageModelChatInformation: () => [{
      id: 'e2e-tool-agent', name: '${AGENT_MODEL_NAME}', family: 'e2e', version: '1',
      detail: 'test only', maxInputTokens: 100000, maxOutputTokens: 4000,
      capabilities: { toolCalling: true, imageInput: false },
    }],
    provideTokenCount: async (_model, text) =>
      Math.ceil((typeof text === 'string' ? text : textOf(text.content)).length / 4),
    provideLanguageModelChatResponse: async (_model, messages, options, progress) => {
      const tools = (options.tools || []).map((t) => t.name);
      const turn = { tools };
      log.turns.push(turn);
      const last = messages[messages.length - 1];
      const result = (last.content || []).filter((p) => p instanceof vscode.LanguageModelToolResultPart);
      if (result.length > 0) {
        turn.result = textOf(result);
        save();
        progress.report(new vscode.LanguageModelTextPart('${ANSWER_PREFIX} ' + turn.result));
        return;
      }
      const ask = tools.find((n) => /ask_project$/.test(n));
      const user = [...messages].reverse().find((m) => m.role === vscode.LanguageModelChatMessageRole.User);
      // Agent mode wraps what the person typed in context tags: ask with the request alone.
      const said = textOf(user && user.content);
      const tagged = /<userRequest>\\s*([\\s\\S]*?)\\s*<\\/userRequest>/.exec(said);
      turn.question = (tagged ? tagged[1] : said).trim();
      if (!ask) {
        save();
        progress.report(new vscode.LanguageModelTextPart('NO ask_project TOOL among: ' + tools.join(', ')));
        return;
      }
      turn.called = ask;
      save();
      progress.report(new vscode.LanguageModelToolCallPart('call-' + log.turns.length, ask, { question: turn.question }));
    },
  }));
  // Models load lazily: asking once makes the picker list this one.
  void vscode.lm.selectChatModels({ vendor: '${AGENT_VENDOR}' });
};
exports.deactivate = () => {};
`;

/** Writes the extension under `dir` and packages it; returns the VSIX path. */
export function buildToolAgentVsix(repoRoot: string, dir: string): Promise<string> {
  return buildTestExtension(repoRoot, dir, {
    name: 'customgpt-e2e-tool-agent',
    displayName: 'CustomGPT E2E Tool Agent',
    description: 'a tool-calling model that calls the CustomGPT.ai ask_project tool.',
    activationEvents: ['onStartupFinished'],
    contributes: {
      languageModelChatProviders: [{ vendor: AGENT_VENDOR, displayName: 'E2E Agent' }],
    },
    source: EXTENSION_JS,
  });
}
