import * as assert from 'node:assert/strict';
import type { ActivityEvent } from '../../../../bridge/protocol';
import {
  applyActivity,
  emptyActivity,
  parseActivityEvent,
  RECENT_LIMIT,
} from '../../../../extension/status/activityView';

describe('activity view', () => {
  it('takes model, mode and project from hello', () => {
    const view = applyActivity(emptyActivity(), {
      type: 'hello',
      mode: 'demo',
      project: '1001',
      model: 'gpt-4o',
      url: 'http://127.0.0.1:8765/v1',
      active: 0,
      simulated: true,
    });
    assert.equal(view.connected, true);
    assert.equal(view.model, 'gpt-4o');
    assert.equal(view.project, '1001');
  });

  it('counts streams through start, progress and end', () => {
    let view = emptyActivity();
    view = applyActivity(view, { type: 'start', id: 'a', client: 'c', stream: true, at: 1 });
    assert.equal(view.active, 1);
    view = applyActivity(view, { type: 'progress', active: 2, cps: 300 });
    assert.deepEqual([view.active, view.cps], [2, 300]);
    view = applyActivity(view, {
      type: 'end',
      id: 'a',
      client: 'c',
      status: 200,
      ms: 10,
      chars: 5,
      active: 1,
    });
    assert.deepEqual([view.active, view.cps], [1, 300]);
    view = applyActivity(view, {
      type: 'end',
      id: 'b',
      client: 'c',
      status: 500,
      ms: 10,
      chars: 0,
      error: 'upstream failed',
      active: 0,
    });
    assert.deepEqual([view.active, view.cps], [0, 0]);
    assert.equal(view.recent[0]?.error, 'upstream failed');
  });

  it('keeps only the last five requests, newest first', () => {
    let view = emptyActivity();
    for (let i = 0; i < 8; i++) {
      const end: ActivityEvent = {
        type: 'end',
        id: String(i),
        client: 'c',
        status: 200,
        ms: i,
        chars: 0,
        active: 0,
      };
      view = applyActivity(view, end);
    }
    assert.equal(view.recent.length, RECENT_LIMIT);
    assert.equal(view.recent[0]?.id, '7');
  });

  it('parses known events and ignores unknown or malformed ones', () => {
    assert.deepEqual(parseActivityEvent('{"type":"progress","active":1,"cps":12}'), {
      type: 'progress',
      active: 1,
      cps: 12,
    });
    assert.equal(parseActivityEvent('{"type":"future"}'), undefined);
    assert.equal(parseActivityEvent('nope'), undefined);
    assert.equal(parseActivityEvent('[1]'), undefined);
  });
});

describe('activity view: running requests (issue 9.6)', () => {
  it('lists a started request until its end, and keeps param and code of the end', () => {
    let view = applyActivity(emptyActivity(), {
      type: 'start',
      id: 'r1',
      client: 'customgpt-vscode-chat/0.1.0',
      stream: true,
      at: 100,
    });
    assert.deepEqual(
      view.running.map((r) => r.id),
      ['r1'],
    );
    view = applyActivity(view, {
      type: 'end',
      id: 'r2',
      client: 'ls/JS 5.23.2',
      status: 501,
      ms: 2,
      chars: 0,
      param: 'tools',
      code: 'unsupported_parameter',
      active: 1,
    });
    assert.deepEqual(
      view.running.map((r) => r.id),
      ['r1'],
      'a refused request never ran',
    );
    assert.equal(view.recent[0]?.param, 'tools');
    assert.equal(view.recent[0]?.code, 'unsupported_parameter');
    view = applyActivity(view, {
      type: 'end',
      id: 'r1',
      client: 'customgpt-vscode-chat/0.1.0',
      status: 200,
      ms: 900,
      chars: 10,
      active: 0,
    });
    assert.deepEqual(view.running, []);
  });

  it('parses param, code and the project name', () => {
    const end = parseActivityEvent(
      '{"type":"end","id":"a","client":"c","status":501,"ms":1,"chars":0,"active":0,"param":"tools","code":"unsupported_parameter"}',
    );
    assert.equal(end?.type === 'end' && end.param, 'tools');
    const hello = parseActivityEvent(
      '{"type":"hello","mode":"demo","project":"1001","model":null,"url":"u","active":0,"simulated":true,"projectName":"Acme Rocket Docs"}',
    );
    assert.equal(hello?.type === 'hello' && hello.projectName, 'Acme Rocket Docs');
    const view = applyActivity(emptyActivity(), hello!);
    assert.equal(view.projectName, 'Acme Rocket Docs');
  });
});
