// Upstream stream events (native and compat) translated into the bridge's small vocabulary.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compatAnswerEvents,
  nativeAnswerEvents,
  translateCompatChunk,
  translateNativeEvent,
  upstreamMessage,
} from '../../../bridge/upstream/events.js';

const MALFORMED = { kind: 'error', message: 'CustomGPT.ai sent a malformed stream event.' };
const MID_ANSWER = { kind: 'error', message: 'CustomGPT.ai reported an error mid-answer.' };
const SKIP = { kind: 'skip' };

describe('translateNativeEvent', () => {
  it('start -> skip', () => {
    assert.deepEqual(translateNativeEvent('{"status":"start","prompt":"Hi"}'), SKIP);
  });

  it('progress -> delta with the exact text', () => {
    assert.deepEqual(translateNativeEvent('{"status":"progress","message":"Hel"}'), {
      kind: 'delta',
      text: 'Hel',
    });
  });

  it('progress keeps whitespace, newlines and unicode exactly', () => {
    const message = ' line\n\tnext "q" é🚀 ';
    assert.deepEqual(translateNativeEvent(JSON.stringify({ status: 'progress', message })), {
      kind: 'delta',
      text: message,
    });
  });

  it('progress with an empty, missing or non-string message -> skip', () => {
    for (const e of [
      { status: 'progress', message: '' },
      { status: 'progress' },
      { status: 'progress', message: 5 },
      { status: 'progress', message: null },
    ]) {
      assert.deepEqual(translateNativeEvent(JSON.stringify(e)), SKIP, JSON.stringify(e));
    }
  });

  it('finish -> citation ids, session id and the prompt id (for message feedback)', () => {
    assert.deepEqual(
      translateNativeEvent(
        '{"status":"finish","id":433,"session_id":"5f1c-uuid","citations":[12074,12075]}',
      ),
      { kind: 'finish', citationIds: [12074, 12075], sessionId: '5f1c-uuid', promptId: 433 },
    );
  });

  it('finish without citations or session -> empty list and no sessionId key', () => {
    const e = translateNativeEvent('{"status":"finish","id":1}');
    assert.deepEqual(e, { kind: 'finish', citationIds: [], promptId: 1 });
    assert.equal('sessionId' in e, false);
  });

  it('finish with a prompt id that is not a positive integer -> no promptId key', () => {
    for (const id of ['"433"', '0', '-1', '1.5', 'null', '1e300']) {
      const e = translateNativeEvent(`{"status":"finish","id":${id}}`);
      assert.deepEqual(e, { kind: 'finish', citationIds: [] }, id);
    }
  });

  it('finish keeps only integer citation ids', () => {
    assert.deepEqual(
      translateNativeEvent('{"status":"finish","citations":[1,"2",3.5,null,{"id":4},5]}'),
      { kind: 'finish', citationIds: [1, 5] },
    );
  });

  it('finish with citations not an array, or a non-string session id -> ignored', () => {
    assert.deepEqual(translateNativeEvent('{"status":"finish","citations":"12","session_id":42}'), {
      kind: 'finish',
      citationIds: [],
    });
  });

  it('error with a message -> that message', () => {
    assert.deepEqual(translateNativeEvent('{"status":"error","message":"Out of credits"}'), {
      kind: 'error',
      message: 'Out of credits',
    });
  });

  it('error with the message in the data envelope -> that message', () => {
    assert.deepEqual(
      translateNativeEvent('{"status":"error","data":{"code":500,"message":"Model failed"}}'),
      { kind: 'error', message: 'Model failed' },
    );
  });

  it('error without a usable message -> the generic mid-answer message', () => {
    assert.deepEqual(translateNativeEvent('{"status":"error"}'), MID_ANSWER);
    assert.deepEqual(translateNativeEvent('{"status":"error","message":"   "}'), MID_ANSWER);
  });

  it('malformed JSON -> error', () => {
    for (const data of ['{"status":', 'not json', '', '{status:"progress"}']) {
      assert.deepEqual(translateNativeEvent(data), MALFORMED, JSON.stringify(data));
    }
  });

  it('[DONE] is not native JSON -> malformed', () => {
    assert.deepEqual(translateNativeEvent('[DONE]'), MALFORMED);
  });

  it('unknown status, no status, or non-object JSON -> skip', () => {
    for (const data of [
      '{"status":"thinking"}',
      '{"message":"no status"}',
      '{}',
      'null',
      '42',
      '"progress"',
      '[{"status":"progress","message":"x"}]',
      'true',
    ]) {
      assert.deepEqual(translateNativeEvent(data), SKIP, data);
    }
  });

  it('never throws, whatever the data (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (d) => {
          const e = translateNativeEvent(d);
          assert.ok(['delta', 'finish', 'error', 'skip'].includes(e.kind));
        },
      ),
    );
  });
});

describe('nativeAnswerEvents', () => {
  it('a JSON answer -> its text, citations and prompt id (for message feedback)', () => {
    assert.deepEqual(nativeAnswerEvents({ id: 433, openai_response: 'Hi', citations: [7, 'x'] }), [
      { kind: 'delta', text: 'Hi' },
      { kind: 'finish', citationIds: [7], promptId: 433 },
    ]);
    assert.deepEqual(nativeAnswerEvents({ openai_response: '' }), [
      { kind: 'finish', citationIds: [] },
    ]);
  });
});

describe('translateCompatChunk', () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-4o',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });

  it('[DONE] -> finish with no citations', () => {
    assert.deepEqual(translateCompatChunk('[DONE]'), { kind: 'finish', citationIds: [] });
  });

  it('a role-less content delta -> delta text', () => {
    assert.deepEqual(translateCompatChunk(chunk({ content: 'Hello' })), {
      kind: 'delta',
      text: 'Hello',
    });
  });

  it('a delta with role and content -> delta text', () => {
    assert.deepEqual(translateCompatChunk(chunk({ role: 'assistant', content: 'Hi\n"x"' })), {
      kind: 'delta',
      text: 'Hi\n"x"',
    });
  });

  it('role-only, empty or null-content chunks -> skip', () => {
    for (const data of [
      chunk({ role: 'assistant' }),
      chunk({ content: '' }),
      chunk({ content: null }),
      JSON.stringify({ choices: [] }),
      JSON.stringify({ choices: 'x' }),
      JSON.stringify({ id: 'x' }),
      JSON.stringify({ choices: [{ index: 0 }] }),
      'null',
      '7',
    ]) {
      assert.deepEqual(translateCompatChunk(data), SKIP, data);
    }
  });

  it('a finish_reason ends the answer with that reason: stop, length, content_filter', () => {
    for (const reason of ['stop', 'length', 'content_filter'] as const) {
      assert.deepEqual(translateCompatChunk(chunk({}, reason)), {
        kind: 'finish',
        citationIds: [],
        reason,
      });
    }
  });

  it('a finish_reason the bridge cannot honour (tool_calls, unknown) -> stop', () => {
    for (const reason of ['tool_calls', 'function_call', 'whatever']) {
      assert.deepEqual(translateCompatChunk(chunk({}, reason)), {
        kind: 'finish',
        citationIds: [],
        reason: 'stop',
      });
    }
  });

  it('a chunk with text and a finish_reason -> the delta, then the finish', () => {
    assert.deepEqual(translateCompatChunk(chunk({ content: 'cut her' }, 'length')), [
      { kind: 'delta', text: 'cut her' },
      { kind: 'finish', citationIds: [], reason: 'length' },
    ]);
  });

  it('"error": null (or false, or "") on a chunk is not an error', () => {
    for (const error of [null, false, '']) {
      const data = JSON.stringify({
        error,
        choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }],
      });
      assert.deepEqual(translateCompatChunk(data), { kind: 'delta', text: 'Hi' }, data);
    }
    assert.deepEqual(
      translateCompatChunk(
        JSON.stringify({
          error: null,
          choices: [{ index: 0, delta: {}, finish_reason: 'length' }],
        }),
      ),
      { kind: 'finish', citationIds: [], reason: 'length' },
    );
  });

  it('never throws; an array is only ever a delta then its finish (property)', () => {
    const chunkish = fc.record({
      error: fc.oneof(fc.constant(undefined), fc.constant(null), fc.jsonValue()),
      choices: fc.array(
        fc.record({
          delta: fc.record({ content: fc.oneof(fc.string(), fc.constant(null)) }),
          finish_reason: fc.oneof(fc.constant(null), fc.string(), fc.jsonValue()),
        }),
        { maxLength: 2 },
      ),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          chunkish.map((c) => JSON.stringify(c)),
        ),
        (d) => {
          const r = translateCompatChunk(d);
          if (Array.isArray(r)) {
            assert.deepEqual(
              r.map((e) => e.kind),
              ['delta', 'finish'],
            );
          } else {
            assert.ok(['delta', 'finish', 'error', 'skip'].includes(r.kind));
          }
        },
      ),
    );
  });

  it('an error object -> its message', () => {
    assert.deepEqual(
      translateCompatChunk('{"error":{"message":"Rate limited","type":"rate_limit_error"}}'),
      { kind: 'error', message: 'Rate limited' },
    );
  });

  it('a native error envelope -> its message', () => {
    assert.deepEqual(
      translateCompatChunk('{"status":"error","data":{"code":500,"message":"Boom"}}'),
      { kind: 'error', message: 'Boom' },
    );
  });

  it('an error without a message -> the generic mid-answer message', () => {
    assert.deepEqual(translateCompatChunk('{"error":{}}'), MID_ANSWER);
  });

  it('malformed JSON -> error', () => {
    assert.deepEqual(translateCompatChunk('{"choices":[{'), MALFORMED);
    assert.deepEqual(translateCompatChunk('DONE'), MALFORMED);
  });
});

describe('compatAnswerEvents', () => {
  const completion = (finish_reason: unknown) => ({
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason }],
  });

  it('a length (or content_filter) finish_reason passes through', () => {
    for (const reason of ['length', 'content_filter'] as const) {
      assert.deepEqual(compatAnswerEvents(completion(reason)), [
        { kind: 'delta', text: 'Hi' },
        { kind: 'finish', citationIds: [], reason },
      ]);
    }
  });

  it('no finish_reason -> a finish without a reason (the client gets stop)', () => {
    assert.deepEqual(compatAnswerEvents(completion(null)), [
      { kind: 'delta', text: 'Hi' },
      { kind: 'finish', citationIds: [] },
    ]);
  });
});

describe('upstreamMessage', () => {
  it('finds message at the top, under error, or under data', () => {
    assert.equal(upstreamMessage({ message: 'top' }), 'top');
    assert.equal(upstreamMessage({ error: 'as string' }), 'as string');
    assert.equal(upstreamMessage({ error: { message: 'nested' } }), 'nested');
    assert.equal(
      upstreamMessage({
        status: 'error',
        url: 'https://app.customgpt.ai/api/v1/projects/1',
        data: { code: 404, message: 'Agent with id 1 not found' },
      }),
      'Agent with id 1 not found',
    );
  });

  it('prefers message over error over data', () => {
    assert.equal(upstreamMessage({ data: 'd', error: 'e', message: 'm' }), 'm');
    assert.equal(upstreamMessage({ data: 'd', error: 'e' }), 'e');
  });

  it('skips blank strings and keeps looking', () => {
    assert.equal(upstreamMessage({ message: '  ', data: { message: 'real' } }), 'real');
  });

  it('cuts long messages to 500 characters', () => {
    assert.equal(upstreamMessage({ message: 'x'.repeat(2000) }), 'x'.repeat(500));
  });

  it('is undefined for non-objects and objects without a message', () => {
    for (const v of [undefined, null, 'text', 42, {}, { code: 500 }, { data: { code: 1 } }]) {
      assert.equal(upstreamMessage(v), undefined, JSON.stringify(v));
    }
  });
});
