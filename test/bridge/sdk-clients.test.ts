// Real clients beyond openai-node, over real sockets against the simulator: the Vercel AI SDK
// (Responses by default, chat completions with openai.chat), the OpenAI Agents SDK and
// LangChain's ChatOpenAI (chat completions, and the Responses API with useResponsesApi). Each
// must get the project's answer; the AI SDK must also surface the citations as `sources`.
import assert from 'node:assert/strict';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled } from '@openai/agents';
import { generateText, streamText } from 'ai';
import { answerFor, citationById } from '../../bridge/simulator/knowledge.js';
import { CITED_PROMPT, isAnswerCall, requestsSince, type Stack, startStack } from './harness.js';

/** Project 1002 ("Acme Rocket Support"), addressed by its model id; the default is 1001. */
const SECOND = 'customgpt-1002';
const EXPECTED = answerFor(CITED_PROMPT);
const EXPECTED_URLS = EXPECTED.citationIds.map((id) => citationById(id)?.url);

describe('real SDK clients (AI SDK, Agents SDK, LangChain)', function () {
  this.timeout(30_000);
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  const aiSdk = () => createOpenAI({ baseURL: stack.bridge.url, apiKey: stack.bridge.token });
  /** The project each answer call since `since` went to. */
  const answeredBy = (since: number) =>
    requestsSince(stack.sim, since)
      .filter(isAnswerCall)
      .map((r) => /\/projects\/(\d+)\//.exec(r.path)?.[1]);

  describe('Vercel AI SDK', () => {
    it("generateText with openai('<project model id>') (Responses API) has the answer and its sources", async () => {
      const since = stack.sim.requests.length;
      const result = await generateText({ model: aiSdk()(SECOND), prompt: CITED_PROMPT });
      assert.ok(result.text.includes(EXPECTED.text), result.text);
      assert.deepEqual(
        result.sources.map((s) => (s.sourceType === 'url' ? s.url : undefined)),
        EXPECTED_URLS,
      );
      assert.deepEqual(answeredBy(since), ['1002']);
      assert.equal(result.response.modelId, 'gpt-4-1', "the response names the project's model");
    });

    it('streamText (Responses API) streams the answer and resolves its sources', async () => {
      const result = streamText({ model: aiSdk()(SECOND), prompt: CITED_PROMPT });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      assert.ok(text.includes(EXPECTED.text), text);
      const sources = await result.sources;
      assert.deepEqual(
        sources.map((s) => (s.sourceType === 'url' ? s.url : undefined)),
        EXPECTED_URLS,
      );
      assert.ok(
        sources.every((s) => s.sourceType === 'url' && s.title),
        'each has a title',
      );
    });

    it('openai.chat(...) (chat completions) has sources too, streamed and not', async () => {
      const model = aiSdk().chat(SECOND);
      const whole = await generateText({ model, prompt: CITED_PROMPT });
      assert.ok(whole.text.includes(EXPECTED.text));
      assert.deepEqual(
        whole.sources.map((s) => (s.sourceType === 'url' ? s.url : undefined)),
        EXPECTED_URLS,
      );
      const streamed = streamText({ model, prompt: CITED_PROMPT });
      assert.ok((await streamed.text).includes(EXPECTED.text));
      assert.deepEqual(
        (await streamed.sources).map((s) => (s.sourceType === 'url' ? s.url : undefined)),
        EXPECTED_URLS,
      );
    });
  });

  describe('OpenAI Agents SDK', () => {
    it('an agent without tools runs one turn against the project its model names', async () => {
      setTracingDisabled(true);
      setDefaultOpenAIClient(stack.client());
      const agent = new Agent({
        name: 'Docs',
        instructions: 'Answer from the Acme Rocket docs.',
        model: SECOND,
      });
      const since = stack.sim.requests.length;
      const result = await run(agent, CITED_PROMPT);
      assert.ok(String(result.finalOutput).includes(EXPECTED.text), String(result.finalOutput));
      assert.deepEqual(answeredBy(since), ['1002']);
      const send = requestsSince(stack.sim, since).find(isAnswerCall);
      assert.match(JSON.stringify(send?.body), /Answer from the Acme Rocket docs/, 'persona sent');
    });
  });

  describe('LangChain ChatOpenAI', () => {
    const chat = (useResponsesApi: boolean) =>
      new ChatOpenAI({
        model: SECOND,
        apiKey: stack.bridge.token,
        configuration: { baseURL: stack.bridge.url },
        useResponsesApi,
        maxRetries: 0,
      });

    it('chat completions: invoke() answers from the project', async () => {
      const since = stack.sim.requests.length;
      const message = await chat(false).invoke(CITED_PROMPT);
      assert.ok(message.text.includes(EXPECTED.text), message.text);
      assert.deepEqual(answeredBy(since), ['1002']);
    });

    it('useResponsesApi: invoke() and stream() answer; the citations arrive as annotations', async () => {
      const message = await chat(true).invoke(CITED_PROMPT);
      assert.ok(message.text.includes(EXPECTED.text), message.text);
      // LangChain keeps Responses annotations on the text block as `citation`s (its chat
      // completions converter drops them: README says so).
      const blocks = Array.isArray(message.content) ? message.content : [];
      const cited = blocks.flatMap((b) =>
        'annotations' in b && Array.isArray(b.annotations) ? b.annotations : [],
      ) as { type?: string; url?: string }[];
      assert.deepEqual(
        cited.map((a) => a.url),
        EXPECTED_URLS,
        JSON.stringify(message.content),
      );
      let streamed = '';
      for await (const chunk of await chat(true).stream(CITED_PROMPT)) streamed += chunk.text;
      assert.ok(streamed.includes(EXPECTED.text), streamed);
    });
  });
});
