import * as assert from 'node:assert/strict';
import type { BridgeConnection, BridgeState } from '../../../../extension/bridge/bridgeState';
import { type ActivityView, emptyActivity } from '../../../../extension/status/activityView';
import {
  escapeMarkdown,
  type StatusInput,
  statusCommand,
  statusText,
  statusTooltip,
} from '../../../../extension/status/statusText';

const connection: BridgeConnection = {
  url: 'http://127.0.0.1:8765/v1',
  port: 8765,
  mode: 'native',
  project: '42',
  simulated: false,
  owner: true,
  pid: 123,
};

function input(
  state: BridgeState,
  activity: Partial<ActivityView> = {},
  hasKey = true,
): StatusInput {
  return { state, hasKey, activity: { ...emptyActivity(), ...activity } };
}

describe('status text', () => {
  it('asks for a key when there is none', () => {
    assert.equal(
      statusText(input({ kind: 'stopped', reason: 'no-key' }, {}, false)),
      '$(key) CustomGPT: Set API Key',
    );
  });

  it('says stopped, starting and error', () => {
    assert.equal(
      statusText(input({ kind: 'stopped', reason: 'user' })),
      '$(circle-slash) CustomGPT: stopped',
    );
    assert.equal(
      statusText(input({ kind: 'starting', port: 8765 })),
      '$(loading~spin) CustomGPT: starting',
    );
    assert.equal(statusText(input({ kind: 'error', message: 'x' })), '$(error) CustomGPT: error');
  });

  it('shows the port when running idle, and (demo) in demo mode', () => {
    assert.equal(
      statusText(input({ kind: 'running', connection })),
      '$(plug) CustomGPT: ready on :8765',
    );
    assert.equal(
      statusText(
        input({
          kind: 'running',
          connection: { ...connection, port: 9001, mode: 'demo', simulated: true },
        }),
      ),
      '$(plug) CustomGPT: ready on :9001 (demo)',
    );
  });

  it('asks for a project while the bridge runs without one (every request would fail)', () => {
    const noProject: BridgeState = { kind: 'running', connection: { ...connection, project: '' } };
    assert.equal(statusText(input(noProject)), '$(plug) CustomGPT: select a project');
    // The activity channel's hello is fresher than the ready line or /bridge/info.
    assert.equal(
      statusText(input(noProject, { project: '7' })),
      '$(plug) CustomGPT: ready on :8765',
    );
    assert.equal(
      statusText(input({ kind: 'running', connection }, { project: '' })),
      '$(plug) CustomGPT: select a project',
    );
  });

  it('says ready in the demo, which always has its simulated project', () => {
    const demo: BridgeState = {
      kind: 'running',
      connection: { ...connection, project: '', mode: 'demo', simulated: true },
    };
    assert.equal(statusText(input(demo)), '$(plug) CustomGPT: ready on :8765 (demo)');
  });

  it('shows a stream without a rate until a non-zero rate is known', () => {
    const running: BridgeState = { kind: 'running', connection };
    assert.equal(
      statusText(input(running, { active: 1, cps: 0 })),
      '$(sync~spin) CustomGPT: 1 stream',
    );
    assert.equal(
      statusText(input(running, { active: 2, cps: 0.4 })),
      '$(sync~spin) CustomGPT: 2 streams',
    );
  });

  it('shows streams and chars/s while answers stream', () => {
    const running: BridgeState = { kind: 'running', connection };
    assert.equal(
      statusText(input(running, { active: 1, cps: 240.4 })),
      '$(sync~spin) CustomGPT: 1 stream · 240 chars/s',
    );
    assert.equal(
      statusText(input(running, { active: 2, cps: 99.6 })),
      '$(sync~spin) CustomGPT: 2 streams · 100 chars/s',
    );
  });
});

describe('status tooltip', () => {
  it('lists base URL, project with model, mode, recent requests and the command links', () => {
    const text = statusTooltip({
      ...input(
        { kind: 'running', connection },
        {
          model: 'gpt-4o',
          recent: [{ id: 'a', client: 'OpenAI/JS 7.59.0', status: 200, ms: 1234, chars: 10 }],
        },
      ),
      projectName: 'Docs',
    });
    assert.match(text, /Base URL: `http:\/\/127\.0\.0\.1:8765\/v1`/);
    assert.match(text, /Project: Docs · model `gpt-4o`/);
    assert.match(text, /Mode: native/);
    assert.match(text, /- OpenAI\/JS · 200 · 1\.2 s/);
    assert.match(text, /command:customgpt\.stopBridge/);
    assert.match(text, /command:customgpt\.restartBridge/);
    assert.match(text, /command:customgpt\.showLog/);
  });

  it('lists running requests by client name with elapsed time, live (issue 9.6)', () => {
    const text = statusTooltip({
      ...input(
        { kind: 'running', connection },
        {
          active: 1,
          running: [{ id: 'r1', client: 'customgpt-vscode-chat/0.1.0', stream: true, at: 1000 }],
        },
      ),
      now: 4200,
    });
    assert.match(text, /Answering now:/);
    assert.match(text, /- CustomGPT chat · 3\.2 s/);
    assert.doesNotMatch(text, /No requests yet/);
  });

  it('says "cancelled" for 499 and "Continue · 501 tools" for a refused tool call (issue 9.1, 9.6)', () => {
    const text = statusTooltip(
      input(
        { kind: 'running', connection },
        {
          recent: [
            {
              id: 'b',
              client: 'ls/JS 5.23.2',
              status: 501,
              ms: 3,
              chars: 0,
              param: 'tools',
              code: 'unsupported_parameter',
              error: 'Tools (`tools`) ... --on-unsupported ignore',
            },
            { id: 'a', client: 'customgpt-vscode-chat/0.1.0', status: 499, ms: 2000, chars: 40 },
          ],
        },
      ),
    );
    assert.match(text, /- Continue · 501 tools · 3 ms/);
    assert.match(text, /- CustomGPT chat · cancelled · 2\.0 s/);
    assert.doesNotMatch(text, /499|--on-unsupported|node/);
  });

  it('names the project from the bridge hello, never "(#1001)" alone (issue 9.6)', () => {
    const demo: BridgeState = {
      kind: 'running',
      connection: { ...connection, project: '1001', simulated: true, mode: 'demo' },
    };
    const named = statusTooltip(input(demo, { project: '1001', projectName: 'Acme Rocket Docs' }));
    assert.match(named, /Project: Acme Rocket Docs/);
    assert.doesNotMatch(named, /#1001/);
    assert.match(statusTooltip(input(demo, { project: '1001' })), /Project #1001/);
  });

  it('says "key rejected" and leads to Set API Key (issue 9.2)', () => {
    const stopped = {
      ...input({ kind: 'stopped', reason: 'no-key' }, {}, false),
      keyRejected: true,
    };
    assert.equal(statusText(stopped), '$(error) CustomGPT: key rejected');
    assert.equal(statusCommand(stopped), 'customgpt.setApiKey');
    assert.match(statusTooltip(stopped), /rejected the key/);
    // The bridge's latest answer says the key in use was rejected (revoked since it was set).
    const revoked = input(
      { kind: 'running', connection },
      {
        recent: [
          { id: 'a', client: 'x', status: 401, ms: 5, chars: 0, code: 'customgpt_key_rejected' },
        ],
      },
    );
    assert.equal(statusText(revoked), '$(error) CustomGPT: key rejected');
    assert.match(statusTooltip(revoked), /- x · 401 key rejected/);
    // A key accepted since (the same one entered again): that rejection is over.
    assert.match(statusText({ ...revoked, keyAcceptedAfter: 'a' }), /ready on/);
  });

  it('explains a running bridge without a project and links Select Project', () => {
    const text = statusTooltip(
      input({ kind: 'running', connection: { ...connection, project: '' } }),
    );
    assert.match(text, /no project is selected/i);
    assert.match(text, /requests fail/i);
    assert.match(text, /command:customgpt\.selectProject/);
  });

  it('offers Start and Show Log after an error, with the message escaped', () => {
    const text = statusTooltip(input({ kind: 'error', message: 'port [8765] *in use*' }));
    assert.match(text, /port \\\[8765\\\] \\\*in use\\\*/);
    assert.match(text, /command:customgpt\.startBridge/);
    assert.match(text, /command:customgpt\.showLog/);
  });

  it('offers Set API Key and the demo without a key', () => {
    const text = statusTooltip(input({ kind: 'stopped', reason: 'no-key' }, {}, false));
    assert.match(text, /command:customgpt\.setApiKey/);
    assert.match(text, /command:customgpt\.tryDemo/);
  });

  it('escapes theme-icon and link syntax from untrusted text', () => {
    assert.equal(
      escapeMarkdown('$(bug) [x](command:evil)'),
      '\\$\\(bug\\) \\[x\\]\\(command:evil\\)',
    );
  });
});

describe('status bar click', () => {
  it('runs Select Project while the bridge runs without a project, else opens the menu', () => {
    const noProject: BridgeState = { kind: 'running', connection: { ...connection, project: '' } };
    assert.equal(statusCommand(input(noProject)), 'customgpt.selectProject');
    assert.equal(statusCommand(input({ kind: 'running', connection })), 'customgpt.menu');
    assert.equal(
      statusCommand(input({ kind: 'stopped', reason: 'no-key' }, {}, false)),
      'customgpt.menu',
    );
  });
});
