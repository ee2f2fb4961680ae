// The Responses API's pure parts: request parsing (input forms, instructions, the 501 rules and
// what `ignore` drops) and the frames (the response object and the stream's event sequence).
import assert from 'node:assert/strict';
import {
  newResponseHead,
  ResponseEvents,
  type ResponseFailure,
  responseFailure,
  responseObject,
} from '../../../bridge/responses/frames.js';
import { parseResponsesRequest } from '../../../bridge/responses/request.js';
import { bad, expectBridgeError, unsupported } from './expect-error.js';

const parse = (body: unknown) => parseResponsesRequest(body, 'error');
const ignoring = (body: unknown) => parseResponsesRequest(body, 'ignore');

describe('responses request', () => {
  it('a string input is one user turn; instructions come first as a system turn', () => {
    const r = parse({ model: 'm', input: 'Hi', instructions: 'Be brief.', stream: true });
    assert.deepEqual(r.turns, [
      { role: 'system', text: 'Be brief.' },
      { role: 'user', text: 'Hi' },
    ]);
    assert.equal(r.stream, true);
    assert.equal(r.instructions, 'Be brief.');
    assert.equal(r.previousResponseId, null);
    assert.equal(r.model, 'm');
  });

  it('message items with input_text / output_text parts, with or without type: message', () => {
    const r = parse({
      input: [
        { role: 'developer', content: 'Persona' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Q1' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'A1', annotations: [] }] },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Q2a' },
            { type: 'input_text', text: 'Q2b' },
          ],
        },
      ],
    });
    assert.deepEqual(r.turns, [
      { role: 'developer', text: 'Persona' },
      { role: 'user', text: 'Q1' },
      { role: 'assistant', text: 'A1' },
      { role: 'user', text: 'Q2a\nQ2b' },
    ]);
  });

  it('previous_response_id must look like one of ours', () => {
    assert.equal(
      parse({ input: 'x', previous_response_id: 'resp_abc' }).previousResponseId,
      'resp_abc',
    );
    for (const id of ['abc', 'resp_', 'resp_../x', 7]) {
      expectBridgeError(
        () => parse({ input: 'x', previous_response_id: id }),
        bad('previous_response_id', 'invalid_value'),
      );
    }
  });

  it('400s name the field', () => {
    expectBridgeError(() => parse([]), bad(null, 'invalid_body'));
    expectBridgeError(() => parse({}), bad('input', 'missing_required_parameter'));
    expectBridgeError(() => parse({ input: 3 }), bad('input', 'invalid_type'));
    expectBridgeError(() => parse({ input: 'x', stream: 'yes' }), bad('stream', 'invalid_type'));
    expectBridgeError(
      () => parse({ input: 'x', instructions: 1 }),
      bad('instructions', 'invalid_type'),
    );
    expectBridgeError(
      () => parse({ input: [{ role: 'robot', content: 'x' }] }),
      bad('input[0].role', 'invalid_value'),
    );
    expectBridgeError(
      () => parse({ input: [{ type: 'weird' }] }),
      bad('input[0].type', 'invalid_value'),
    );
    expectBridgeError(
      () => parse({ input: [{ role: 'user', content: [{ type: 'input_text' }] }] }),
      bad('input[0].content[0].text', 'invalid_type'),
    );
    expectBridgeError(
      () => parse({ input: [{ role: 'assistant', content: 'x' }] }),
      bad('input', 'invalid_value'),
    );
    expectBridgeError(() => parse({ input: '   ' }), bad('input', 'invalid_value'));
  });

  it('tools, structured output and other unsupported features are 501 (the seed spirit)', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ tools: [{ type: 'function', name: 'f' }] }, 'tools'],
      [{ tool_choice: 'required' }, 'tool_choice'],
      [{ text: { format: { type: 'json_schema', schema: {} } } }, 'text'],
      [{ background: true }, 'background'],
      [{ conversation: 'conv_1' }, 'conversation'],
      [{ prompt: { id: 'p' } }, 'prompt'],
      [
        {
          input: [
            { type: 'function_call_output', call_id: 'c', output: 'o' },
            { role: 'user', content: 'x' },
          ],
        },
        'input[0]',
      ],
      [
        {
          input: [
            {
              role: 'user',
              content: [
                { type: 'input_image', image_url: 'u' },
                { type: 'input_text', text: 'x' },
              ],
            },
          ],
        },
        'input[0].content[0]',
      ],
    ];
    for (const [extra, param] of cases) {
      expectBridgeError(() => parse({ input: 'x', ...extra }), unsupported(param));
    }
  });

  it('asking for nothing beyond text passes: empty tools, tool_choice none/auto, text format text', () => {
    const r = parse({
      input: 'x',
      tools: [],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      text: { format: { type: 'text' }, verbosity: 'low' },
      background: false,
      temperature: 0.1,
      store: true,
      reasoning: { effort: 'high' },
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
    });
    assert.deepEqual(r.dropped, []);
  });

  it('under ignore, drops them (and tool-call items) and lists what it dropped', () => {
    const r = ignoring({
      tools: [{ type: 'function', name: 'f' }],
      tool_choice: 'auto',
      input: [
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c', output: 'o' },
        { role: 'user', content: 'Question' },
      ],
    });
    assert.deepEqual(r.turns, [{ role: 'user', text: 'Question' }]);
    assert.deepEqual(r.dropped, ['tools', 'tool_choice', 'input[0]', 'input[1]', 'input[2]']);
  });
});

describe('responses frames', () => {
  const head = {
    ...newResponseHead('gpt-4-o', 'Be brief.', null),
    id: 'resp_1',
    messageId: 'msg_1',
  };
  const annotation = {
    type: 'url_citation' as const,
    url: 'https://x.example',
    title: 'X',
    start_index: 0,
    end_index: 2,
  };

  const failure: ResponseFailure = { code: 'server_error', message: 'boom' };

  /** `event: <type>\ndata: <json>\n\n`, with the type repeated in the JSON. */
  function parseFrames(text: string): Record<string, unknown>[] {
    return text
      .split('\n\n')
      .filter((f) => f !== '')
      .map((frame) => {
        const [event, data, ...rest] = frame.split('\n');
        assert.deepEqual(rest, []);
        const json = JSON.parse(data!.slice('data: '.length)) as Record<string, unknown>;
        assert.equal(event, `event: ${json.type as string}`);
        return json;
      });
  }

  it('a stream is the documented sequence with rising sequence numbers', () => {
    const ev = new ResponseEvents(head);
    const text =
      ev.created() +
      ev.inProgress() +
      ev.itemAdded() +
      ev.partAdded() +
      ev.delta('Hi') +
      ev.delta('!') +
      ev.annotation(0, annotation) +
      ev.textDone('Hi!') +
      ev.partDone('Hi!', [annotation]) +
      ev.itemDone('Hi!', [annotation]) +
      ev.completed('Hi!', [annotation]);
    const events = parseFrames(text);
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.delta',
        'response.output_text.annotation.added',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
    assert.deepEqual(
      events.map((e) => e.sequence_number),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    for (const e of events.slice(3, 9)) {
      assert.equal(e.item_id, 'msg_1');
      assert.equal(e.output_index, 0);
      assert.equal(e.content_index, 0);
    }
    const completed = events[10]!.response as Record<string, unknown>;
    assert.equal(completed.status, 'completed');
    assert.equal(completed.output_text, 'Hi!');
    assert.deepEqual(completed.output, [
      {
        id: 'msg_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hi!', annotations: [annotation], logprobs: [] }],
      },
    ]);
    assert.equal((events[0]!.response as Record<string, unknown>).status, 'in_progress');
  });

  it('a failure is response.failed carrying the error and the text streamed so far', () => {
    const events = new ResponseEvents(head);
    const frames = parseFrames(events.created() + events.delta('Hal') + events.failed(failure));
    const failed = frames.at(-1)!;
    const response = failed.response as Record<string, unknown>;
    assert.deepEqual(
      frames.map((f) => f.type),
      ['response.created', 'response.output_text.delta', 'response.failed'],
    );
    assert.equal(response.status, 'failed');
    assert.deepEqual(response.error, failure);
    const [item] = response.output as { status: string; content: { text: string }[] }[];
    assert.equal(item?.status, 'incomplete');
    assert.equal(item?.content[0]?.text, 'Hal');
  });

  it('a failure before any event starts with response.created and response.in_progress', () => {
    const frames = parseFrames(new ResponseEvents(head).failed(failure));
    assert.deepEqual(
      frames.map((f) => f.type),
      ['response.created', 'response.in_progress', 'response.failed'],
    );
    assert.deepEqual(
      frames.map((f) => f.sequence_number),
      [0, 1, 2],
    );
  });

  it('bridge errors map onto OpenAI ResponseError codes, keeping the bridge code', () => {
    const upstream = { status: 502, type: 'server_error', code: 'upstream_stream_error' };
    assert.deepEqual(responseFailure(upstream, 'm'), {
      code: 'server_error',
      message: 'm',
      type: 'server_error',
      param: null,
      bridge_code: 'upstream_stream_error',
    });
    const limited = { status: 429, type: 'rate_limit_error', code: 'upstream_rate_limited' };
    assert.equal(responseFailure(limited, 'm').code, 'rate_limit_exceeded');
    const large = { status: 413, type: 'invalid_request_error', code: 'x', param: 'input' };
    assert.equal(responseFailure(large, 'm').code, 'invalid_prompt');
  });

  it('the response object echoes instructions and previous_response_id and stores nothing', () => {
    const r = responseObject({ ...head, previous_response_id: 'resp_0' }, 'completed', 'A');
    assert.equal(r.object, 'response');
    assert.equal(r.instructions, 'Be brief.');
    assert.equal(r.previous_response_id, 'resp_0');
    assert.equal(r.store, false);
    assert.equal(r.usage, null);
    assert.equal(r.model, 'gpt-4-o');
  });

  it('ids are resp_ and msg_ with unguessable tails', () => {
    const a = newResponseHead('m', null, null);
    const b = newResponseHead('m', null, null);
    assert.match(a.id, /^resp_[A-Za-z0-9_-]{24}$/);
    assert.match(a.messageId, /^msg_[A-Za-z0-9_-]{24}$/);
    assert.notEqual(a.id, b.id);
  });
});
