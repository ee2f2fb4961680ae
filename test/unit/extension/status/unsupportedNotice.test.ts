import * as assert from 'node:assert/strict';
import type { RequestRecord } from '../../../../extension/status/activityView';
import { unsupportedNotice } from '../../../../extension/status/unsupportedNotice';

const refused: RequestRecord = {
  id: 'r1',
  client: 'ls/JS 5.23.2',
  status: 501,
  ms: 2,
  chars: 0,
  param: 'tools',
  code: 'unsupported_parameter',
  error: 'Tools (`tools`) are not supported ... --on-unsupported ignore',
};

describe('501 notice (issue 9.1)', () => {
  it('names the client in words and the parameter, and offers to answer without tools', () => {
    const notice = unsupportedNotice(refused, new Set());
    assert.ok(notice);
    assert.equal(notice.client, 'Continue');
    assert.match(notice.message, /^CustomGPT: Continue sent "tools" \(tool calling\)/);
    assert.match(notice.message, /501/);
    assert.doesNotMatch(notice.message, /--on-unsupported/);
    assert.equal(notice.switchLabel, 'Answer Without Tools');
  });

  it('only once per client and session, and only for 501 unsupported_parameter', () => {
    assert.equal(unsupportedNotice(refused, new Set(['Continue'])), undefined);
    assert.ok(unsupportedNotice({ ...refused, client: 'RooCode/3.2' }, new Set(['Continue'])));
    assert.equal(
      unsupportedNotice({ ...refused, status: 400, code: 'invalid_value' }, new Set()),
      undefined,
    );
    assert.equal(
      unsupportedNotice({ ...refused, status: 200, code: undefined }, new Set()),
      undefined,
    );
  });

  it('other parameters get a neutral switch label', () => {
    const notice = unsupportedNotice({ ...refused, param: 'response_format' }, new Set());
    assert.equal(notice?.switchLabel, 'Ignore Such Parameters');
  });
});
