// The test process plays an editor tool: the official openai SDK pointed at the bridge with the
// base URL and token the person copied from VS Code.
import OpenAI from 'openai';

export interface StreamResult {
  text: string;
  chunks: number;
}

function client(baseURL: string, token: string): OpenAI {
  return new OpenAI({ baseURL, apiKey: token, maxRetries: 0, timeout: 60_000 });
}

export async function streamAnswer(
  baseURL: string,
  token: string,
  question: string,
  onChunk: (soFar: string) => void = () => {},
): Promise<StreamResult> {
  const stream = await client(baseURL, token).chat.completions.create({
    model: 'customgpt',
    messages: [{ role: 'user', content: question }],
    stream: true,
  });
  let text = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta?.content ?? '';
    onChunk(text);
  }
  return { text, chunks };
}

export async function askOnce(baseURL: string, token: string, question: string): Promise<string> {
  const completion = await client(baseURL, token).chat.completions.create({
    model: 'customgpt',
    messages: [{ role: 'user', content: question }],
  });
  return completion.choices[0]?.message.content ?? '';
}
