// A command's failure is logged and shown; VS Code cancelling a pending dialog or API call (a
// window closing under an open notification) is not a failure and must not be reported as one.
import * as assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { isCancellation } from '../../../../extension/core/cancellation';
import { guardCommand } from '../../../../extension/core/commandRunner';
import { RecordingLogger } from '../helpers';

function canceledError(): Error {
  // What VS Code's RPC layer rejects pending calls with when a window goes away.
  const error = new Error('Canceled');
  error.name = 'Canceled';
  return error;
}

async function run(thrown: unknown) {
  const log = new RecordingLogger();
  const shown: string[] = [];
  const command = guardCommand(
    'customgpt.setApiKey',
    async () => {
      throw thrown;
    },
    { log, showError: (message) => shown.push(message) },
  );
  await command();
  return { log, shown, errors: log.lines.filter((l) => l.startsWith('error ')) };
}

describe('command runner', () => {
  const cancellations: [string, () => unknown][] = [
    ['an Error named Canceled (vscode.CancellationError, RPC cancellation)', canceledError],
    ['an error whose message is Canceled', () => new Error('Canceled')],
    [
      'a Canceled error object that is not an Error instance',
      () => ({ name: 'Canceled', message: 'Canceled' }),
    ],
    [
      'a Canceled error from another realm',
      () => runInNewContext("const e = new Error('Canceled'); e.name = 'Canceled'; e"),
    ],
  ];

  for (const [what, make] of cancellations) {
    it(`neither logs an error nor shows one for ${what}`, async () => {
      const { log, shown, errors } = await run(make());
      assert.deepEqual(errors, []);
      assert.deepEqual(shown, []);
      assert.ok(
        log.lines.some((l) => l.startsWith('debug ') && l.includes('customgpt.setApiKey')),
        `a debug line names the command: ${JSON.stringify(log.lines)}`,
      );
    });
  }

  it('logs and shows a real failure', async () => {
    const { errors, shown } = await run(new Error('disk full'));
    assert.deepEqual(errors, ['error customgpt.setApiKey failed: Error: disk full']);
    assert.deepEqual(shown, ['CustomGPT: Error: disk full']);
  });

  it('passes through a handler that succeeds', async () => {
    const log = new RecordingLogger();
    let ran = false;
    await guardCommand(
      'customgpt.menu',
      () => {
        ran = true;
      },
      { log, showError: () => assert.fail('no error') },
    )();
    assert.ok(ran);
    assert.deepEqual(log.lines, []);
  });
});

describe('isCancellation', () => {
  it('recognizes cancellations and nothing else', () => {
    assert.equal(isCancellation(canceledError()), true);
    assert.equal(isCancellation({ name: 'Canceled' }), true);
    assert.equal(isCancellation(new Error('Cancelled by the user, sort of')), false);
    assert.equal(isCancellation(new Error('boom')), false);
    assert.equal(isCancellation('Canceled'), false);
    assert.equal(isCancellation(undefined), false);
    assert.equal(isCancellation(null), false);
  });
});
