import * as assert from 'node:assert/strict';
import {
  BRIDGE_UNREACHABLE,
  editorError,
  outcomeWords,
} from '../../../../extension/core/errorWords';

/** The bridge's messages are written for the command line; none of that may reach the editor. */
const CLI_ADVICE = /CUSTOMGPT_|--[a-z]|\benv(ironment)? var/i;

describe('bridge errors in editor words', () => {
  const codes = [
    'customgpt_key_rejected',
    'customgpt_key_missing',
    'customgpt_forbidden',
    'project_not_found',
    'project_missing',
    'rate_limit_exceeded',
    'bridge_overloaded',
    'bridge_stopping',
    'upstream_timeout',
    'upstream_unreachable',
    'upstream_error',
    'upstream_stream_error',
    'upstream_rejected',
    'session_not_found',
    BRIDGE_UNREACHABLE,
  ];
  const bridgeSaid =
    'CustomGPT.ai rejected the API key (HTTP 401). Set a valid key in CUSTOMGPT_API_KEY (--project)';
  for (const code of codes) {
    it(`${code}: own words, no CLI advice, a way on`, () => {
      const words = editorError(code, bridgeSaid);
      assert.doesNotMatch(words.message, CLI_ADVICE);
      assert.ok(words.actions.length > 0, 'offers a next step');
      assert.ok(words.short.length > 0 && words.short.length <= 30);
    });
  }

  it('a rejected key leads to Set API Key; a missing project to Select Project', () => {
    assert.deepEqual(editorError('customgpt_key_rejected', bridgeSaid).actions, [
      'setKey',
      'showLog',
    ]);
    assert.match(
      editorError('customgpt_key_rejected', bridgeSaid).message,
      /rejected your API key/,
    );
    assert.deepEqual(editorError('project_missing', '').actions, ['selectProject']);
  });

  it('a cut connection says what happened and offers Ask Again (issue 9.9)', () => {
    const words = editorError(BRIDGE_UNREACHABLE, 'Could not reach the bridge: terminated');
    assert.match(words.message, /restarted/);
    assert.doesNotMatch(words.message, /terminated/);
    assert.deepEqual(words.actions, ['askAgain']);
  });

  it('a 501 for tools offers to answer without tools; other parameters do not', () => {
    assert.deepEqual(editorError('unsupported_parameter', '', 'tools').actions, [
      'answerWithoutTools',
    ]);
    assert.deepEqual(editorError('unsupported_parameter', '', 'audio').actions, []);
  });

  it('unknown codes keep the bridge message and offer Ask Again and the log', () => {
    const words = editorError('brand_new_code', 'Something new happened.');
    assert.equal(words.message, 'Something new happened.');
    assert.deepEqual(words.actions, ['askAgain', 'showLog']);
  });

  it('outcome words: status, cancelled, 501 with its parameter, known codes', () => {
    assert.equal(outcomeWords({ status: 200 }), '200');
    assert.equal(outcomeWords({ status: 499 }), 'cancelled');
    assert.equal(
      outcomeWords({ status: 501, param: 'tools', code: 'unsupported_parameter' }),
      '501 tools',
    );
    assert.equal(outcomeWords({ status: 401, code: 'customgpt_key_rejected' }), '401 key rejected');
    assert.equal(
      outcomeWords({ status: 400, param: 'messages', code: 'empty_array' }),
      '400 invalid messages',
    );
    assert.equal(outcomeWords({ status: 502 }), '502');
  });
});
