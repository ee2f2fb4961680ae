// parseChatRequest: the seed's request rules (required / supported / ignored / 501), with the
// exact `param` each error names.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseChatRequest } from '../../../bridge/chat/request.js';
import { BridgeError } from '../../../bridge/http/openai-error.js';
import { bad, expectBridgeError, unsupported } from './expect-error.js';

const user = (content: unknown) => ({ role: 'user', content });
const ask = (extra: Record<string, unknown> = {}) => ({ messages: [user('Hi')], ...extra });

describe('parseChatRequest', () => {
  describe('a valid request', () => {
    it('returns the turns, stream flags and no drops', () => {
      assert.deepEqual(parseChatRequest(ask(), 'error'), {
        turns: [{ role: 'user', text: 'Hi' }],
        stream: false,
        includeUsage: false,
        dropped: [],
      });
    });

    it('keeps every role in order, system and developer included', () => {
      const body = {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Answer in English.' },
          { role: 'user', content: 'Q1' },
          { role: 'assistant', content: 'A1' },
          { role: 'user', content: 'Q2' },
        ],
      };
      assert.deepEqual(parseChatRequest(body, 'error').turns, [
        { role: 'system', text: 'Be brief.' },
        { role: 'developer', text: 'Answer in English.' },
        { role: 'user', text: 'Q1' },
        { role: 'assistant', text: 'A1' },
        { role: 'user', text: 'Q2' },
      ]);
    });

    it('joins text parts with newlines', () => {
      const body = {
        messages: [
          user([
            { type: 'text', text: 'first' },
            { type: 'text', text: 'second' },
            { type: 'text', text: 'third' },
          ]),
        ],
      };
      assert.deepEqual(parseChatRequest(body, 'error').turns, [
        { role: 'user', text: 'first\nsecond\nthird' },
      ]);
    });

    it('accepts a single text part', () => {
      const body = { messages: [user([{ type: 'text', text: 'only' }])] };
      assert.deepEqual(parseChatRequest(body, 'error').turns, [{ role: 'user', text: 'only' }]);
    });

    it('keeps the text of the user message as sent (no trimming)', () => {
      const body = { messages: [user('  spaced  \n')] };
      assert.deepEqual(parseChatRequest(body, 'error').turns, [
        { role: 'user', text: '  spaced  \n' },
      ]);
    });

    it('accepts an assistant turn with content null (tool-using clients send it)', () => {
      const body = {
        messages: [user('Q1'), { role: 'assistant', content: null }, user('Q2')],
      };
      assert.deepEqual(parseChatRequest(body, 'error').turns, [
        { role: 'user', text: 'Q1' },
        { role: 'assistant', text: '' },
        { role: 'user', text: 'Q2' },
      ]);
    });

    it('ignores extra keys on a message (name, tool_calls: [])', () => {
      const body = { messages: [{ role: 'user', content: 'Hi', name: 'alice', extra: 1 }] };
      assert.deepEqual(parseChatRequest(body, 'error').turns, [{ role: 'user', text: 'Hi' }]);
    });
  });

  describe('the body and messages', () => {
    for (const body of [null, [], 'text', 42, true]) {
      it(`refuses a non-object body ${JSON.stringify(body)} with 400 invalid_body`, () => {
        expectBridgeError(() => parseChatRequest(body, 'error'), bad(null, 'invalid_body'));
      });
    }

    it('refuses missing messages: 400 param messages, missing_required_parameter', () => {
      expectBridgeError(
        () => parseChatRequest({ model: 'gpt-4' }, 'error'),
        bad('messages', 'missing_required_parameter'),
      );
    });

    for (const messages of ['Hi', 5, { role: 'user', content: 'Hi' }, null]) {
      it(`refuses messages = ${JSON.stringify(messages)}: 400 param messages`, () => {
        expectBridgeError(
          () => parseChatRequest({ messages }, 'error'),
          bad('messages', 'invalid_type'),
        );
      });
    }

    it('refuses an empty messages array: 400 param messages', () => {
      expectBridgeError(
        () => parseChatRequest({ messages: [] }, 'error'),
        bad('messages', 'empty_array'),
      );
    });

    for (const m of [null, 'Hi', 3, ['user', 'Hi']]) {
      it(`refuses a message that is ${JSON.stringify(m)}: param messages[1]`, () => {
        expectBridgeError(
          () => parseChatRequest({ messages: [user('a'), m, user('b')] }, 'error'),
          bad('messages[1]', 'invalid_type'),
        );
      });
    }
  });

  describe('roles', () => {
    it('refuses a missing role: param messages[1].role, missing_required_parameter', () => {
      expectBridgeError(
        () => parseChatRequest({ messages: [user('a'), { content: 'x' }, user('b')] }, 'error'),
        bad('messages[1].role', 'missing_required_parameter'),
      );
    });

    for (const role of ['bot', 'User', '', 7, null]) {
      it(`refuses role ${JSON.stringify(role)}: param messages[1].role, invalid_value`, () => {
        expectBridgeError(
          () =>
            parseChatRequest({ messages: [user('a'), { role, content: 'x' }, user('b')] }, 'error'),
          bad('messages[1].role', 'invalid_value'),
        );
      });
    }

    it('does not echo a huge bad role back in full', () => {
      const role = 'x'.repeat(1000);
      const err = expectBridgeError(
        () => parseChatRequest({ messages: [{ role, content: 'x' }, user('b')] }, 'error'),
        bad('messages[0].role', 'invalid_value'),
      );
      assert.ok(!err.message.includes('x'.repeat(41)), err.message);
    });

    for (const role of ['tool', 'function']) {
      it(`refuses a '${role}' message under 'error': 400 param messages[1].role`, () => {
        const body = {
          messages: [user('a'), { role, content: '42', tool_call_id: 'c1' }, user('b')],
        };
        expectBridgeError(
          () => parseChatRequest(body, 'error'),
          bad('messages[1].role', 'invalid_value'),
        );
      });

      it(`drops a '${role}' message under 'ignore' and lists 'tool messages' once`, () => {
        const body = {
          messages: [
            user('a'),
            { role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] },
            { role, content: '42', tool_call_id: 'c1' },
            { role, content: '43', tool_call_id: 'c2' },
            user('b'),
          ],
        };
        assert.deepEqual(parseChatRequest(body, 'ignore'), {
          turns: [
            { role: 'user', text: 'a' },
            { role: 'assistant', text: '' },
            { role: 'user', text: 'b' },
          ],
          stream: false,
          includeUsage: false,
          dropped: ['tool messages'],
        });
      });
    }
  });

  describe('content', () => {
    it('refuses missing content: param messages[0].content, missing_required_parameter', () => {
      expectBridgeError(
        () => parseChatRequest({ messages: [{ role: 'user' }] }, 'error'),
        bad('messages[0].content', 'missing_required_parameter'),
      );
    });

    for (const content of [5, true, { type: 'text', text: 'x' }]) {
      it(`refuses content ${JSON.stringify(content)}: param messages[0].content`, () => {
        expectBridgeError(
          () => parseChatRequest({ messages: [user(content)] }, 'error'),
          bad('messages[0].content', 'invalid_type'),
        );
      });
    }

    it('refuses content null on a user message', () => {
      expectBridgeError(
        () => parseChatRequest({ messages: [user(null)] }, 'error'),
        bad('messages[0].content', 'invalid_type'),
      );
    });

    it('refuses content null on a system message', () => {
      expectBridgeError(
        () =>
          parseChatRequest({ messages: [{ role: 'system', content: null }, user('x')] }, 'error'),
        bad('messages[0].content', 'invalid_type'),
      );
    });

    it('names the part: messages[0].content[2].type for an image part', () => {
      const content = [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
        { type: 'image_url', image_url: { url: 'https://x/y.png' } },
      ];
      expectBridgeError(
        () => parseChatRequest({ messages: [user(content)] }, 'error'),
        bad('messages[0].content[2].type', 'invalid_value'),
      );
    });

    it('refuses a part without a type: messages[1].content[0].type', () => {
      const body = { messages: [user('a'), user([{ text: 'x' }])] };
      expectBridgeError(
        () => parseChatRequest(body, 'error'),
        bad('messages[1].content[0].type', 'invalid_value'),
      );
    });

    it('refuses a non-object part: messages[0].content[1]', () => {
      const body = { messages: [user([{ type: 'text', text: 'a' }, 'b'])] };
      expectBridgeError(
        () => parseChatRequest(body, 'error'),
        bad('messages[0].content[1]', 'invalid_type'),
      );
    });

    it('refuses a text part whose text is not a string: messages[0].content[0].text', () => {
      const body = { messages: [user([{ type: 'text', text: 3 }])] };
      expectBridgeError(
        () => parseChatRequest(body, 'error'),
        bad('messages[0].content[0].text', 'invalid_type'),
      );
    });

    it('refuses an input_audio part with 501 (audio input), naming the part', () => {
      const body = {
        messages: [
          user([
            { type: 'text', text: 'listen' },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          ]),
        ],
      };
      expectBridgeError(
        () => parseChatRequest(body, 'error'),
        unsupported('messages[0].content[1]'),
      );
    });

    it("drops input_audio parts under 'ignore' and keeps the text", () => {
      const audio = { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } };
      const body = {
        messages: [user([audio, { type: 'text', text: 'listen' }, audio])],
      };
      assert.deepEqual(parseChatRequest(body, 'ignore'), {
        turns: [{ role: 'user', text: 'listen' }],
        stream: false,
        includeUsage: false,
        dropped: ['input_audio'],
      });
    });
  });

  describe('the last message', () => {
    it("must be the user's: 400 param messages when it is the assistant's", () => {
      const body = { messages: [user('Q'), { role: 'assistant', content: 'A' }] };
      expectBridgeError(() => parseChatRequest(body, 'error'), bad('messages', 'invalid_value'));
    });

    it("must be the user's: 400 param messages when it is a system message", () => {
      const body = { messages: [{ role: 'system', content: 'S' }] };
      expectBridgeError(() => parseChatRequest(body, 'error'), bad('messages', 'invalid_value'));
    });

    for (const content of ['', '   \n\t', [], [{ type: 'text', text: '  ' }]]) {
      it(`must have text: ${JSON.stringify(content)} -> 400 param messages[1].content`, () => {
        const body = { messages: [{ role: 'system', content: 'S' }, user(content)] };
        expectBridgeError(
          () => parseChatRequest(body, 'error'),
          bad('messages[1].content', 'invalid_value'),
        );
      });
    }

    it('an empty earlier user message is fine', () => {
      const body = { messages: [user(''), { role: 'assistant', content: 'A' }, user('Q')] };
      assert.equal(parseChatRequest(body, 'error').turns.length, 3);
    });

    it("under 'ignore', only input_audio in the last message -> 400 (no text left)", () => {
      const body = { messages: [user([{ type: 'input_audio', input_audio: {} }])] };
      expectBridgeError(
        () => parseChatRequest(body, 'ignore'),
        bad('messages[0].content', 'invalid_value'),
      );
    });

    it("under 'ignore', a trailing tool message is dropped, then the last turn must be the user's", () => {
      const body = {
        messages: [user('Q'), { role: 'assistant', content: 'A' }, { role: 'tool', content: 'x' }],
      };
      expectBridgeError(() => parseChatRequest(body, 'ignore'), bad('messages', 'invalid_value'));
    });

    it("under 'ignore', an empty last user message followed by a dropped tool message names that user message", () => {
      // The empty text is in messages[0]; messages[1] is the tool message that was dropped.
      const body = { messages: [user('  '), { role: 'tool', content: 'x' }] };
      expectBridgeError(
        () => parseChatRequest(body, 'ignore'),
        bad('messages[0].content', 'invalid_value'),
      );
    });
  });

  describe('unsupported parameters (501)', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['tools', { tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }],
      ['functions', { functions: [{ name: 'f', parameters: {} }] }],
      ['tool_choice', { tool_choice: 'required' }],
      ['tool_choice', { tool_choice: { type: 'function', function: { name: 'f' } } }],
      ['function_call', { function_call: { name: 'f' } }],
      ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
      ['response_format', { response_format: { type: 'json_object' } }],
      [
        'response_format',
        { response_format: { type: 'json_schema', json_schema: { name: 's', schema: {} } } },
      ],
      ['web_search_options', { web_search_options: {} }],
      ['web_search_options', { web_search_options: { search_context_size: 'low' } }],
      ['modalities', { modalities: ['text', 'audio'] }],
      ['modalities', { modalities: ['audio'] }],
    ];
    for (const [param, extra] of cases) {
      it(`${JSON.stringify(extra)} -> 501 param ${param}, x-should-retry false`, () => {
        const err = expectBridgeError(
          () => parseChatRequest(ask(extra), 'error'),
          unsupported(param),
        );
        assert.ok(err.message.includes(`\`${param}\``), err.message);
      });
      it(`${JSON.stringify(extra)} under 'ignore' -> dropped [${param}]`, () => {
        const r = parseChatRequest(ask(extra), 'ignore');
        assert.deepEqual(r, {
          turns: [{ role: 'user', text: 'Hi' }],
          stream: false,
          includeUsage: false,
          dropped: [param],
        });
      });
    }

    it('tool_choice auto with tools: 501 (tools named first)', () => {
      const extra = { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'auto' };
      expectBridgeError(() => parseChatRequest(ask(extra), 'error'), unsupported('tools'));
      assert.deepEqual(parseChatRequest(ask(extra), 'ignore').dropped, ['tools', 'tool_choice']);
    });

    it('parallel_tool_calls with tools: 501 under error, both dropped under ignore', () => {
      const extra = {
        tools: [{ type: 'function', function: { name: 'f' } }],
        parallel_tool_calls: true,
      };
      expectBridgeError(() => parseChatRequest(ask(extra), 'error'), unsupported('tools'));
      assert.deepEqual(parseChatRequest(ask(extra), 'ignore').dropped, [
        'tools',
        'parallel_tool_calls',
      ]);
    });

    it('parallel_tool_calls with functions counts as asking for tools', () => {
      const extra = { functions: [{ name: 'f' }], parallel_tool_calls: false };
      assert.deepEqual(parseChatRequest(ask(extra), 'ignore').dropped, [
        'functions',
        'parallel_tool_calls',
      ]);
    });

    it("'ignore' drops every unsupported parameter at once, in a stable order", () => {
      const extra = {
        modalities: ['text', 'audio'],
        web_search_options: {},
        response_format: { type: 'json_object' },
        audio: { voice: 'alloy' },
        parallel_tool_calls: true,
        function_call: { name: 'f' },
        tool_choice: 'required',
        functions: [{ name: 'f' }],
        tools: [{ type: 'function', function: { name: 'f' } }],
      };
      assert.deepEqual(parseChatRequest(ask(extra), 'ignore').dropped, [
        'tools',
        'functions',
        'tool_choice',
        'function_call',
        'parallel_tool_calls',
        'audio',
        'response_format',
        'web_search_options',
        'modalities',
      ]);
    });

    it("'ignore' lists unsupported params, tool messages and input_audio together", () => {
      const body = {
        tools: [{ type: 'function', function: { name: 'f' } }],
        messages: [
          { role: 'tool', content: 'x' },
          user([
            { type: 'input_audio', input_audio: {} },
            { type: 'text', text: 'Q' },
          ]),
        ],
      };
      assert.deepEqual(parseChatRequest(body, 'ignore').dropped, [
        'tools',
        'tool messages',
        'input_audio',
      ]);
    });

    describe('values that ask for nothing count as absent', () => {
      const nothing: Array<Record<string, unknown>> = [
        { tools: null },
        { tools: [] },
        { functions: null },
        { functions: [] },
        { tool_choice: null },
        { tool_choice: 'none' },
        { tool_choice: 'auto' },
        { tool_choice: 'auto', tools: [] },
        { function_call: null },
        { function_call: 'none' },
        { function_call: 'auto' },
        { parallel_tool_calls: true },
        { parallel_tool_calls: false },
        { parallel_tool_calls: true, tools: [] },
        { parallel_tool_calls: null },
        { audio: null },
        { response_format: null },
        { response_format: { type: 'text' } },
        { web_search_options: null },
        { modalities: null },
        { modalities: ['text'] },
        { modalities: [] },
        // Continue with every tool excluded sends exactly this.
        { tools: [], tool_choice: 'none', parallel_tool_calls: false },
      ];
      for (const extra of nothing) {
        it(`${JSON.stringify(extra)} is accepted and nothing is dropped`, () => {
          for (const policy of ['error', 'ignore'] as const) {
            assert.deepEqual(parseChatRequest(ask(extra), policy), {
              turns: [{ role: 'user', text: 'Hi' }],
              stream: false,
              includeUsage: false,
              dropped: [],
            });
          }
        });
      }
    });
  });

  describe('ignored parameters', () => {
    const ignored: Record<string, unknown> = {
      model: 'gpt-4',
      temperature: 0.2,
      frequency_penalty: 1,
      presence_penalty: -1,
      logit_bias: { '50256': -100 },
      max_completion_tokens: 100,
      max_tokens: 50,
      metadata: { a: 'b' },
      n: 3,
      prediction: { type: 'content', content: 'x' },
      seed: 7,
      service_tier: 'auto',
      stop: ['\n'],
      store: true,
      top_logprobs: 5,
      logprobs: true,
      top_p: 0.9,
      user: 'u-1',
      reasoning_effort: 'high',
      some_future_field: { nested: [1, 2] },
    };
    for (const [name, value] of Object.entries(ignored)) {
      it(`${name}: ${JSON.stringify(value)} is silently ignored`, () => {
        for (const policy of ['error', 'ignore'] as const) {
          assert.deepEqual(parseChatRequest(ask({ [name]: value }), policy), {
            turns: [{ role: 'user', text: 'Hi' }],
            stream: false,
            includeUsage: false,
            dropped: [],
          });
        }
      });
    }

    it('ignores even nonsense values of ignored parameters', () => {
      const extra = { model: 42, temperature: 'hot', n: -1, stop: { x: 1 }, max_tokens: 'many' };
      assert.deepEqual(parseChatRequest(ask(extra), 'error').dropped, []);
    });

    it('all ignored parameters together change nothing', () => {
      assert.deepEqual(parseChatRequest(ask(ignored), 'error'), parseChatRequest(ask(), 'error'));
    });
  });

  describe('stream and stream_options', () => {
    it('stream true', () => {
      const r = parseChatRequest(ask({ stream: true }), 'error');
      assert.equal(r.stream, true);
      assert.equal(r.includeUsage, false);
    });

    it('stream false or null means not streaming', () => {
      assert.equal(parseChatRequest(ask({ stream: false }), 'error').stream, false);
      assert.equal(parseChatRequest(ask({ stream: null }), 'error').stream, false);
    });

    for (const stream of ['true', 1, {}, []]) {
      it(`stream ${JSON.stringify(stream)} -> 400 param stream`, () => {
        expectBridgeError(
          () => parseChatRequest(ask({ stream }), 'error'),
          bad('stream', 'invalid_type'),
        );
      });
    }

    it('include_usage true with stream -> includeUsage', () => {
      const r = parseChatRequest(
        ask({ stream: true, stream_options: { include_usage: true } }),
        'error',
      );
      assert.deepEqual([r.stream, r.includeUsage], [true, true]);
    });

    it('include_usage true without stream -> no usage (and no error)', () => {
      for (const stream of [false, null, undefined]) {
        const r = parseChatRequest(
          ask({ stream, stream_options: { include_usage: true } }),
          'error',
        );
        assert.deepEqual([r.stream, r.includeUsage], [false, false]);
      }
    });

    it('include_usage false, null or absent -> no usage', () => {
      for (const stream_options of [{ include_usage: false }, { include_usage: null }, {}, null]) {
        const r = parseChatRequest(ask({ stream: true, stream_options }), 'error');
        assert.equal(r.includeUsage, false, JSON.stringify(stream_options));
      }
    });

    it('unknown keys in stream_options are ignored', () => {
      const r = parseChatRequest(
        ask({ stream: true, stream_options: { include_usage: true, include_obfuscation: false } }),
        'error',
      );
      assert.equal(r.includeUsage, true);
    });

    for (const stream_options of ['yes', true, [], 1]) {
      it(`stream_options ${JSON.stringify(stream_options)} -> 400 param stream_options`, () => {
        expectBridgeError(
          () => parseChatRequest(ask({ stream: true, stream_options }), 'error'),
          bad('stream_options', 'invalid_type'),
        );
      });
    }

    for (const include_usage of ['true', 1, {}]) {
      it(`include_usage ${JSON.stringify(include_usage)} -> 400 param stream_options.include_usage`, () => {
        expectBridgeError(
          () => parseChatRequest(ask({ stream: true, stream_options: { include_usage } }), 'error'),
          bad('stream_options.include_usage', 'invalid_type'),
        );
      });
    }
  });

  describe('properties', () => {
    it('any JSON body: returns, or throws a BridgeError with status 400 or 501', () => {
      const body = fc.oneof(
        fc.jsonValue(),
        fc.record(
          {
            messages: fc.oneof(
              fc.jsonValue(),
              fc.array(
                fc.record(
                  {
                    role: fc.oneof(
                      fc.constantFrom(
                        'system',
                        'developer',
                        'user',
                        'assistant',
                        'tool',
                        'function',
                      ),
                      fc.jsonValue(),
                    ),
                    content: fc.oneof(
                      fc.string(),
                      fc.jsonValue(),
                      fc.array(
                        fc.record(
                          {
                            type: fc.oneof(
                              fc.constantFrom('text', 'input_audio', 'image_url'),
                              fc.jsonValue(),
                            ),
                            text: fc.oneof(fc.string(), fc.jsonValue()),
                          },
                          { requiredKeys: [] },
                        ),
                        { maxLength: 3 },
                      ),
                    ),
                  },
                  { requiredKeys: [] },
                ),
                { maxLength: 4 },
              ),
            ),
            stream: fc.jsonValue(),
            stream_options: fc.oneof(fc.jsonValue(), fc.record({ include_usage: fc.jsonValue() })),
            tools: fc.jsonValue(),
            tool_choice: fc.jsonValue(),
            parallel_tool_calls: fc.jsonValue(),
            response_format: fc.jsonValue(),
            modalities: fc.jsonValue(),
            audio: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
      );
      fc.assert(
        fc.property(body, fc.constantFrom('error', 'ignore' as const), (b, policy) => {
          try {
            const r = parseChatRequest(b, policy);
            assert.ok(r.turns.length > 0);
            assert.equal(r.turns[r.turns.length - 1]?.role, 'user');
            assert.notEqual(r.turns[r.turns.length - 1]?.text.trim(), '');
          } catch (err) {
            assert.ok(err instanceof BridgeError, `not a BridgeError: ${String(err)}`);
            assert.ok(err.status === 400 || err.status === 501, `status ${err.status}`);
            assert.equal(err.type, 'invalid_request_error');
            if (policy === 'ignore') assert.equal(err.status, 400);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('a valid conversation parses the same whatever ignored parameters ride along', () => {
      const text = fc.string({ minLength: 1 }).filter((s) => s.trim() !== '');
      const ignoredName = fc.constantFrom(
        'model',
        'temperature',
        'n',
        'stop',
        'max_tokens',
        'max_completion_tokens',
        'seed',
        'user',
        'top_p',
        'metadata',
        'unknown_field',
      );
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.constantFrom('user', 'assistant', 'system'), fc.string())),
          text,
          fc.dictionary(ignoredName, fc.jsonValue()),
          (history, last, extra) => {
            const messages = [
              ...history.map(([role, content]) => ({ role, content })),
              { role: 'user', content: last },
            ];
            const r = parseChatRequest({ ...extra, messages }, 'error');
            assert.deepEqual(r.turns, [
              ...history.map(([role, text]) => ({ role, text })),
              { role: 'user', text: last },
            ]);
            assert.deepEqual(r.dropped, []);
          },
        ),
      );
    });
  });
});
