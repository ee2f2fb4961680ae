// Ready-to-paste settings that point popular OpenAI-compatible editor tools at the bridge.
// Every tool needs a non-empty key (the OpenAI SDK refuses to send without one): the bridge's
// local token fills that slot. Tools that send `tools` by default are told not to, because the
// CustomGPT.ai API has no tool calling.

export interface ToolSnippet {
  id: 'continue' | 'cline' | 'roo' | 'copilot' | 'zed';
  label: string;
  /** Where the snippet goes, shown in the picker. */
  where: string;
  text: string;
}

/** Model id for tools when no project is chosen: names no project, so the default answers. */
export const TOOL_MODEL_ID = 'customgpt';

/**
 * `model` is the project's model id (`customgpt-<projectId>`, bridge/models/ids.ts): the bridge
 * answers a request from the project its model names, so a tool's model picker (fed by
 * /v1/models) switches projects without a restart.
 */
export function toolSnippets(baseUrl: string, token: string, model = TOOL_MODEL_ID): ToolSnippet[] {
  return [
    {
      id: 'continue',
      label: 'Continue',
      where: '~/.continue/config.yaml, under models:',
      text: [
        '# Continue: add to ~/.continue/config.yaml under "models:"',
        'models:',
        '  - name: CustomGPT.ai',
        '    provider: openai',
        `    model: ${model}`,
        `    apiBase: ${baseUrl}`,
        `    apiKey: ${token}`,
        '    roles:',
        '      - chat',
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
        '',
      ].join('\n'),
    },
    {
      id: 'roo',
      label: 'Roo Code',
      where: 'Roo Code settings: API Provider "OpenAI Compatible"',
      text: [
        'Roo Code > Settings > Providers > API Provider: OpenAI Compatible',
        `Base URL: ${baseUrl}`,
        `API Key: ${token}`,
        `Model: ${model}`,
        '',
      ].join('\n'),
    },
    {
      id: 'copilot',
      label: 'GitHub Copilot Chat (custom endpoint)',
      where: 'Chat model picker > Manage Models > Add Models > Custom Endpoint',
      text: [
        '// GitHub Copilot Chat: model picker > Manage Models > Add Models > Custom Endpoint',
        '// (Chat Completions). When it asks for the API key, paste the bridge token:',
        `// ${token}`,
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
        '// Zed: merge into settings.json. Give the key in Agent Settings > LLM Providers,',
        '// or start Zed with CUSTOMGPT_BRIDGE_API_KEY set to the bridge token:',
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
