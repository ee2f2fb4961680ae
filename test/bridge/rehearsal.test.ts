// The start-up rehearsal (bridge/rehearsal.ts, issue 13): `node dist/bridge.js` asks one
// question of a throwaway demo bridge after its start-up calls, so the first real question runs
// compiled code. It must never reach the configured upstream (no extra question is asked of the
// user's project, no conversation made), never print anything but its debug line, and
// `--no-rehearsal` must turn it off.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator } from '../../bridge/simulator/index.js';
import { buildOnce, cleanEnv, runCli, stop } from './cli-harness.js';
import { isAnswerCall, isConversationCreate, PROJECT_ID, type Simulator } from './harness.js';

const DONE_LINE = 'start-up rehearsal done';

describe('start-up rehearsal of the CLI', function () {
  this.timeout(30_000);
  let sim: Simulator;
  before(async () => {
    buildOnce();
    sim = await startSimulator({ port: 0 });
  });
  after(() => sim.close());

  const start = (mode: 'native' | 'compat', extra: string[] = []) =>
    runCli(
      [
        ...['--port', '0', '--upstream', sim.url, '--project', PROJECT_ID],
        ...['--upstream-mode', mode, '--log', 'debug', ...extra],
      ],
      cleanEnv({ CUSTOMGPT_API_KEY: sim.apiKey }),
    );

  async function waitForLine(run: ReturnType<typeof runCli>, text: string, ms: number) {
    const deadline = Date.now() + ms;
    while (!run.stderr().includes(text)) {
      if (Date.now() > deadline) return false;
      await sleep(25);
    }
    return true;
  }

  for (const mode of ['native', 'compat'] as const) {
    it(`${mode}: runs once after start-up, on the simulator, not on the configured upstream`, async () => {
      const since = sim.requests.length;
      const run = start(mode);
      try {
        await run.ready;
        assert.ok(await waitForLine(run, DONE_LINE, 20_000), run.stderr());
        const line = run
          .stderr()
          .split('\n')
          .find((l) => l.includes(DONE_LINE))!;
        const ms = (JSON.parse(line) as { ms?: unknown }).ms;
        assert.ok(typeof ms === 'number' && ms > 0, line);
        const seen = sim.requests.slice(since);
        assert.equal(seen.filter(isAnswerCall).length, 0, 'no question reached the upstream');
        // Native: only the spare conversation of start-up (spare-conversations.test.ts).
        assert.ok(seen.filter(isConversationCreate).length <= (mode === 'native' ? 1 : 0));
        assert.ok(!run.stderr().includes('rehearsal failed'), run.stderr());
      } finally {
        assert.equal((await stop(run)).code, 0);
      }
      assert.equal(run.stderr().split(DONE_LINE).length - 1, 1, 'exactly once');
    });
  }

  it('--no-rehearsal: none', async () => {
    const run = start('compat', ['--no-rehearsal']);
    try {
      await run.ready;
      assert.equal(await waitForLine(run, DONE_LINE, 1500), false, run.stderr());
    } finally {
      assert.equal((await stop(run)).code, 0);
    }
  });
});
