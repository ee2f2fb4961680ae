// Ready-to-paste settings that point popular OpenAI-compatible editor tools at the bridge.
// Every tool needs a non-empty key (the OpenAI SDK refuses to send without one): the bridge's
// local token fills that slot. Tools that send `tools` by default are told not to, because the
// CustomGPT.ai API has no tool calling.

export interface ToolSnippet {
  id: 'continue-new' | 'continue-existing' | 'cline' | 'roo' | 'copilot' | 'zed';
  label: string;
  /** Where the snippet goes, shown in the picker. */
  where: string;
  text: string;
}

/** Model id for tools when no project is chosen: names no project, so the default answers. */
export const TOOL_MODEL_ID = 'customgpt';

/** Tools that send tool definitions on every request (CustomGPT.ai cannot run them). */
const TOOLS_NOTE =
  'sends tool definitions, which CustomGPT.ai cannot run: set "customgpt.onUnsupported" to "ignore" in VS Code (the extension offers it on the first refused request).';

/** Continue's model entry, indented to sit in a `models:` list. */
function continueModel(baseUrl: string, token: string, model: string): string[] {
  return [
    '  - name: CustomGPT.ai',
    '    provider: openai',
    `    model: ${model}`,
    `    apiBase: ${baseUrl}`,
    `    apiKey: ${token}`,
    '    roles:',
    '      - chat',
  ];
}

/**
 * `model` is the project's model id (`customgpt-<projectId>`, bridge/models/ids.ts): the bridge
 * answers a request from the project its model names, so a tool's model picker (fed by
 * /v1/models) switches projects without a restart.
 */
export function toolSnippets(baseUrl: string, token: string, model = TOOL_MODEL_ID): ToolSnippet[] {
  return [
    {
      id: 'continue-new',
      label: 'Continue: a new config.yaml (complete file)',
      where: '~/.continue/config.yaml, as the whole file (when you have none yet)',
      text: [
        '# Continue: the complete ~/.continue/config.yaml (a new file; replaces nothing you have).',
        '# Continue agent mode and the cn CLI send tool definitions: answer them with',
        '# "customgpt.onUnsupported": "ignore" in VS Code, or exclude the tools (cn --exclude).',
        'name: CustomGPT.ai',
        'version: 1.0.0',
        'schema: v1',
        'models:',
        ...continueModel(baseUrl, token, model),
        '',
      ].join('\n'),
    },
    {
      id: 'continue-existing',
      label: 'Continue: add the model to an existing config.yaml',
      where: 'your ~/.continue/config.yaml, inside its existing "models:" list',
      text: [
        '# Continue: paste these lines inside the "models:" list of your config.yaml.',
        ...continueModel(baseUrl, token, model),
        '',
      ].join('\n'),
    },
    {
      id: 'cline',
      label: 'Cline',
      where: 'Cline settings: API Provider "OpenAI Compatible"',
      text: [
        'Cline > Settings > API Provider: OpenAI Compatible',
        `Base URL: ${baseUrl}`,
        `API Key: ${token}`,
        `Model ID: ${model}`,
        'Model Configuration: Supports Images off',
        `Note: Cline ${TOOLS_NOTE}`,
        '',
      ].join('\n'),
    },
    {
      id: 'roo',
      label: 'Roo Code',
      where: 'Roo Code settings: API Provider "OpenAI Compatible"',
      text: [
        'Roo Code > Settings (gear icon) > API Provider: OpenAI Compatible',
        `Base URL: ${baseUrl}`,
        `API Key: ${token}`,
        `Model: ${model}`,
        'Model Configuration: Image Support off, Computer Use off',
        `Note: Roo Code ${TOOLS_NOTE}`,
        '',
      ].join('\n'),
    },
    {
      id: 'copilot',
      label: 'GitHub Copilot Chat (custom endpoint)',
      where:
        "Chat: Manage Language Models > Add > Custom Endpoint, then the provider's chatLanguageModels.json",
      text: [
        '// GitHub Copilot Chat: run "Chat: Manage Language Models" > Add > Custom Endpoint.',
        '// Name: CustomGPT, API type: Chat Completions, API key: the bridge token',
        `// ${token}`,
        '// (VS Code keeps it as a secret). Then the gear icon opens chatLanguageModels.json: make',
        '// the CustomGPT entry match this, keeping the "apiKey" line VS Code wrote.',
        JSON.stringify(
          {
            name: 'CustomGPT',
            vendor: 'customendpoint',
            apiType: 'chat-completions',
            models: [
              {
                id: model,
                name: 'CustomGPT.ai',
                url: baseUrl,
                toolCalling: false,
                vision: false,
                maxInputTokens: 32000,
                maxOutputTokens: 4096,
              },
            ],
          },
          null,
          2,
        ),
        '',
      ].join('\n'),
    },
    {
      id: 'zed',
      label: 'Zed',
      where: 'Zed settings.json, merged into the top-level object',
      text: [
        '// Zed: merge into settings.json. Give the key in Agent Settings > LLM Providers >',
        '// customgpt-bridge, or start Zed with CUSTOMGPT_BRIDGE_API_KEY set to the bridge token:',
        `// ${token}`,
        JSON.stringify(
          {
            language_models: {
              openai_compatible: {
                'customgpt-bridge': {
                  api_url: baseUrl,
                  available_models: [
                    {
                      name: model,
                      display_name: 'CustomGPT.ai',
                      max_tokens: 32000,
                      capabilities: {
                        tools: false,
                        images: false,
                        parallel_tool_calls: false,
                        prompt_cache_key: false,
                      },
                    },
                  ],
                },
              },
            },
          },
          null,
          2,
        ),
        '',
      ].join('\n'),
    },
  ];
}
