// Drives the real supervisor against the fake bridge (real processes, sockets and ports):
// spawn, attach, takeover when the owner goes away, port races, foreign bridges, crash budget,
// the shared Stop across windows, busy-port fallback.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { probeBridge } from '../../../../extension/bridge/bridgeProbe';
import { CrashBudget, type CrashDecision } from '../../../../extension/bridge/crashBudget';
import {
  BridgeSupervisor,
  type LaunchPlan,
  type SharedStopFlag,
  type SupervisorTiming,
} from '../../../../extension/bridge/supervisor';
import { LifeScopes } from '../../../../extension/core/scope';
import { FAKE_BRIDGE, freePort, isAlive, RecordingLogger, waitFor } from '../helpers';

interface Harness {
  supervisor: BridgeSupervisor;
  log: RecordingLogger;
  bridgeLines: string[];
  plan: LaunchPlan;
  chosenPorts: [number, number][];
}

/** The flag VS Code's SecretStorage shares between windows, with its change event. */
class SharedFlag implements SharedStopFlag {
  stopped = false;
  readonly windows: BridgeSupervisor[] = [];
  async isSet() {
    return this.stopped;
  }
  async set(value: boolean) {
    if (value === this.stopped) return;
    this.stopped = value;
    // Like SecretStorage.onDidChange: every window hears it, asynchronously.
    setTimeout(() => {
      for (const w of this.windows) void w.onSharedStopChanged();
    }, 10);
  }
}

/** Counts what the owner charges against its restart budget. */
class CountingBudget extends CrashBudget {
  crashes = 0;
  override recordCrash(now: number): CrashDecision {
    this.crashes++;
    return super.recordCrash(now);
  }
}

const harnesses: Harness[] = [];

function harness(
  port: number,
  overrides: Partial<LaunchPlan> & {
    env?: Record<string, string>;
    budget?: CrashBudget;
    /** When it returns an error, reading the launch plan rejects with it. */
    planFailure?: () => unknown;
    flag?: SharedFlag;
    timing?: Partial<SupervisorTiming>;
  } = {},
): Harness {
  const token = overrides.token ?? 'shared-token-0123456789';
  const plan: LaunchPlan = {
    port,
    token,
    args: overrides.args ?? ['--port', String(port), '--host', '127.0.0.1', '--stdin-lifeline'],
    secretEnv: {
      CUSTOMGPT_BRIDGE_TOKEN: token,
      CUSTOMGPT_API_KEY: 'key-abcdef',
      ...overrides.env,
    },
    canSpawn: overrides.canSpawn ?? true,
  };
  const log = new RecordingLogger();
  const bridgeLines: string[] = [];
  const chosenPorts: [number, number][] = [];
  const h: Harness = {
    log,
    bridgeLines,
    plan,
    chosenPorts,
    supervisor: new BridgeSupervisor({
      plan: async () => {
        const failure = overrides.planFailure?.();
        if (failure) throw failure;
        return { ...h.plan };
      },
      execPath: process.execPath,
      bridgeScript: FAKE_BRIDGE,
      log,
      bridgeLog: (line) => bridgeLines.push(line),
      scopes: new LifeScopes(),
      timing: {
        takeoverMinMs: 50,
        takeoverJitterMs: 150,
        portRaceDelayMs: 100,
        stopGraceMs: 1000,
        ...overrides.timing,
      },
      crashBudget: overrides.budget,
      ...(overrides.flag ? { stopFlag: overrides.flag } : {}),
      onPortChosen: (configured, port) => chosenPorts.push([configured, port]),
    }),
  };
  overrides.flag?.windows.push(h.supervisor);
  harnesses.push(h);
  return h;
}

function running(h: Harness) {
  const state = h.supervisor.state;
  return state.kind === 'running' ? state.connection : undefined;
}

describe('bridge supervisor', function () {
  this.timeout(20000);

  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.supervisor.dispose()));
  });

  it('spawns its own bridge, follows its activity, and stops it', async () => {
    const port = await freePort();
    const h = harness(port);
    const kinds: string[] = [];
    h.supervisor.onDidChange((s) => kinds.push(s.kind));
    await h.supervisor.start();
    const connection = running(h);
    assert.ok(connection);
    assert.equal(connection.owner, true);
    assert.equal(connection.port, port);
    assert.equal(connection.url, `http://127.0.0.1:${port}/v1`);
    assert.ok(kinds.includes('starting'));
    assert.deepEqual(h.supervisor.credentials?.token, 'shared-token-0123456789');
    await waitFor(() => h.supervisor.activity.model === 'gpt-4o-mini', 5000, 'hello event');
    const pid = connection.pid ?? 0;
    await h.supervisor.stop();
    assert.deepEqual(h.supervisor.state, { kind: 'stopped', reason: 'user' });
    assert.ok(!isAlive(pid));
  });

  it('attaches to the bridge another window runs instead of spawning', async () => {
    const port = await freePort();
    const owner = harness(port);
    await owner.supervisor.start();
    const other = harness(port);
    await other.supervisor.start();
    const attached = running(other);
    assert.ok(attached);
    assert.equal(attached.owner, false);
    assert.equal(attached.pid, running(owner)?.pid);
    assert.equal(other.bridgeLines.length, 0, 'the attached window spawned nothing');
    await waitFor(() => other.supervisor.activity.connected, 5000, 'activity socket');
  });

  it('takes over within seconds when the owning window goes away', async () => {
    const port = await freePort();
    const owner = harness(port);
    await owner.supervisor.start();
    const firstPid = running(owner)?.pid;
    const other = harness(port);
    await other.supervisor.start();
    await waitFor(() => other.supervisor.activity.connected, 5000, 'activity socket');
    const started = Date.now();
    await owner.supervisor.dispose();
    const connection = await waitFor(
      () => {
        const c = running(other);
        return c?.owner ? c : undefined;
      },
      8000,
      'takeover',
    );
    assert.notEqual(connection.pid, firstPid);
    assert.ok(Date.now() - started < 5000, 'took over within a few seconds');
  });

  it('settles a port race: one window spawns, the other attaches', async () => {
    const port = await freePort();
    const a = harness(port);
    const b = harness(port);
    await Promise.all([a.supervisor.start(), b.supervisor.start()]);
    const ca = running(a);
    const cb = running(b);
    assert.ok(ca && cb, `a=${a.supervisor.state.kind} b=${b.supervisor.state.kind}`);
    assert.equal([ca.owner, cb.owner].filter(Boolean).length, 1);
    assert.equal(ca.pid, cb.pid);
  });

  it("moves to the next port when another instance's bridge (another token) holds it", async () => {
    const port = await freePort();
    const foreign = harness(port, { token: 'someone-elses-token-xyz' });
    await foreign.supervisor.start();
    const mine = harness(port);
    await mine.supervisor.start();
    const connection = running(mine);
    assert.ok(
      connection,
      `state ${JSON.stringify(mine.supervisor.state)}\n${mine.log.lines.join('\n')}\n${mine.bridgeLines.join('\n')}`,
    );
    assert.equal(connection.owner, true);
    // The next free port: port + 1 unless another program on this shared machine holds it.
    assert.ok(connection.port > port && connection.port < port + 10, String(connection.port));
    assert.ok(
      mine.log.lines.some((l) => l.includes('could not prove it holds')),
      mine.log.lines.join('\n'),
    );
  });

  it('falls back to the next free port when another program holds the configured one', async () => {
    const port = await freePort();
    const server: Server = createServer((_req, res) => {
      res.writeHead(404);
      res.end('nope');
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const h = harness(port);
      await h.supervisor.start();
      const connection = running(h);
      assert.ok(connection, `state ${JSON.stringify(h.supervisor.state)}`);
      // The next free port: port + 1 unless another program on this shared machine holds it.
      const fallback = connection.port;
      assert.ok(fallback > port && fallback < port + 10, String(fallback));
      assert.equal(connection.url, `http://127.0.0.1:${fallback}/v1`);
      assert.deepEqual(h.chosenPorts, [[port, fallback]], 'the fallback is reported to remember');
      // A second window finds the bridge on the fallback port and attaches.
      const other = harness(port);
      await other.supervisor.start();
      assert.equal(running(other)?.owner, false);
      assert.equal(running(other)?.port, fallback);
      // Next time the remembered fallback is tried first, even when the configured port is free.
      await h.supervisor.stop();
      await other.supervisor.dispose();
      server.closeAllConnections();
      server.close();
      const later = harness(port);
      later.plan = { ...later.plan, rememberedPort: fallback };
      await later.supervisor.start();
      assert.equal(running(later)?.port, fallback);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('Stop in the owning window stops the bridge for every window until Start', async () => {
    const port = await freePort();
    const flag = new SharedFlag();
    const owner = harness(port, { flag });
    await owner.supervisor.start();
    const other = harness(port, { flag });
    await other.supervisor.start();
    await waitFor(() => other.supervisor.activity.connected, 5000, 'activity socket');
    await owner.supervisor.stop();
    // Well past the takeover delay (50-200 ms here): nobody may have spawned a new bridge.
    await waitFor(() => other.supervisor.state.kind === 'stopped', 5000, 'other window stops');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(other.supervisor.state, { kind: 'stopped', reason: 'user' });
    assert.equal(other.bridgeLines.length, 0, 'the other window spawned no bridge');
    assert.equal((await probeBridge(port, owner.plan.token)).kind, 'free');

    // Start in the other window lifts the Stop for both: one bridge, one owner (either window
    // may win the port race), the other attached.
    await other.supervisor.start();
    const [a, b] = await waitFor(
      () => {
        const a = running(owner);
        const b = running(other);
        return a && b && a.pid === b.pid ? [a, b] : undefined;
      },
      5000,
      'both windows on one bridge again',
    );
    assert.equal([a.owner, b.owner].filter(Boolean).length, 1);
  });

  it('Stop in an attached window stops the shared bridge; its owner counts no crash', async () => {
    const port = await freePort();
    const flag = new SharedFlag();
    const budget = new CountingBudget();
    const owner = harness(port, { flag, budget });
    await owner.supervisor.start();
    const pid = running(owner)?.pid ?? 0;
    const other = harness(port, { flag });
    await other.supervisor.start();
    await other.supervisor.stop();
    await waitFor(() => !isAlive(pid), 5000, 'the shared bridge exits');
    await waitFor(() => owner.supervisor.state.kind === 'stopped', 5000, 'owner stops');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(owner.supervisor.state, { kind: 'stopped', reason: 'user' });
    assert.equal(budget.crashes, 0);
    assert.equal((await probeBridge(port, owner.plan.token)).kind, 'free');
  });

  it('Restart from an attached window is never a crash for the owner', async () => {
    const port = await freePort();
    const flag = new SharedFlag();
    const budget = new CountingBudget();
    const owner = harness(port, { flag, budget });
    await owner.supervisor.start();
    const firstPid = running(owner)?.pid ?? 0;
    const other = harness(port, { flag });
    await other.supervisor.start();
    await other.supervisor.restart();
    await waitFor(() => !isAlive(firstPid), 5000, 'old bridge exits');
    const now = await waitFor(
      () => {
        const a = running(owner);
        const b = running(other);
        return a && b && a.pid === b.pid && a.pid !== firstPid ? a : undefined;
      },
      8000,
      'both windows on one new bridge',
    );
    assert.ok(now.pid && isAlive(now.pid));
    assert.equal(budget.crashes, 0, 'the requested exit was counted as a crash');
    assert.deepEqual(
      owner.log.lines.filter((l) => l.includes('exited unexpectedly')),
      [],
      'the owner logged a requested exit as unexpected',
    );
  });

  it('keeps its activity channel after more than five drops in one bridge life', async () => {
    const h = harness(await freePort(), {
      env: { FAKE_BRIDGE_DROP_ACTIVITY: '1' },
      timing: { activityRetryMs: 30 },
    });
    await h.supervisor.start();
    const connections = () => h.bridgeLines.filter((l) => l.includes('activity connected')).length;
    // Each connection is dropped 100 ms after its hello; the window must keep reconnecting.
    await waitFor(() => connections() >= 9, 12000, '9 activity connections').catch(() => undefined);
    assert.ok(connections() >= 9, `reconnecting stopped after ${connections()} connections`);
    assert.equal(h.supervisor.state.kind, 'running');
  });

  it('does not spawn without a key, but reports it', async () => {
    const h = harness(await freePort(), { canSpawn: false });
    await h.supervisor.start();
    assert.deepEqual(h.supervisor.state, { kind: 'stopped', reason: 'no-key' });
    assert.equal(h.bridgeLines.length, 0);
  });

  it('takes a VS Code cancellation during start-up as no failure, and starts later', async () => {
    let cancel = true;
    const h = harness(await freePort(), {
      // VS Code rejects a pending secret read this way when the window closes.
      planFailure: () =>
        cancel ? Object.assign(new Error('Canceled'), { name: 'Canceled' }) : undefined,
    });
    await h.supervisor.start();
    assert.deepEqual(h.supervisor.state, { kind: 'stopped', reason: 'not-started' });
    assert.deepEqual(
      h.log.lines.filter((l) => l.startsWith('error ')),
      [],
      'a cancellation is not logged as an error',
    );
    cancel = false;
    await h.supervisor.start();
    assert.equal(h.supervisor.state.kind, 'running');
  });

  it('explains a bridge that fails before it is ready', async () => {
    const h = harness(await freePort(), { env: { FAKE_BRIDGE_BEHAVIOR: 'exit-early' } });
    await h.supervisor.start();
    const state = h.supervisor.state;
    assert.equal(state.kind, 'error');
    assert.match(state.kind === 'error' ? state.message : '', /upstream URL is not valid/);
  });

  it('restarts a crashing bridge within the budget, then stops and says why', async () => {
    const h = harness(await freePort(), {
      env: { FAKE_BRIDGE_BEHAVIOR: 'crash-after-ready', FAKE_BRIDGE_CRASH_MS: '150' },
      budget: new CrashBudget(4, 60_000, 20, 50),
    });
    await h.supervisor.start();
    const message = await waitFor(
      () => {
        const s = h.supervisor.state;
        return s.kind === 'error' ? s.message : undefined;
      },
      15000,
      'crash budget',
    );
    assert.match(message, /crashed 4 times in 1 minutes/);
    const spawns = h.bridgeLines.filter((l) => l.includes('"msg":"starting"')).length;
    assert.equal(spawns, 4);
  });

  it('applies changed settings by restarting its own bridge', async () => {
    const port = await freePort();
    const h = harness(port);
    await h.supervisor.start();
    const firstPid = running(h)?.pid;
    h.plan = { ...h.plan, args: [...h.plan.args, '--project', '77'] };
    await h.supervisor.applyChanges({ portChanged: false });
    const connection = running(h);
    assert.ok(connection);
    assert.equal(connection.project, '77');
    assert.notEqual(connection.pid, firstPid);
  });

  it('restart from an attached window replaces the shared bridge', async () => {
    const port = await freePort();
    const owner = harness(port);
    await owner.supervisor.start();
    const firstPid = running(owner)?.pid ?? 0;
    const other = harness(port);
    await other.supervisor.start();
    await other.supervisor.restart();
    assert.ok(!isAlive(firstPid));
    const connection = running(other);
    assert.ok(connection);
    assert.notEqual(connection.pid, firstPid);
    // The old owner ends up attached to (or owning) the same new bridge.
    const ownerNow = await waitFor(() => running(owner), 8000, 'old owner reconnects');
    assert.equal(ownerNow.pid, connection.pid);
  });

  it('counts streams and records finished requests from the activity channel', async () => {
    const h = harness(await freePort(), { env: { FAKE_BRIDGE_ACTIVITY: '1' } });
    const actives: number[] = [];
    h.supervisor.onDidChange(() => actives.push(h.supervisor.activity.active));
    await h.supervisor.start();
    await waitFor(() => h.supervisor.activity.recent.length === 1, 5000, 'end event');
    assert.ok(actives.includes(1));
    assert.equal(h.supervisor.activity.active, 0);
    assert.equal(h.supervisor.activity.recent[0]?.client, 'OpenAI/JS 7.59.0');
  });

  it('waitForRunning resolves with the connection, or undefined on error', async () => {
    const h = harness(await freePort());
    const waiting = h.supervisor.waitForRunning(5000);
    void h.supervisor.start();
    assert.equal((await waiting)?.owner, true);
    const failing = harness(await freePort(), { env: { FAKE_BRIDGE_BEHAVIOR: 'exit-early' } });
    const failed = failing.supervisor.waitForRunning(5000);
    void failing.supervisor.start();
    assert.equal(await failed, undefined);
  });
});
