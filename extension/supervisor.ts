// Keeps this window connected to a bridge: attaches to one that another window of the same user
// already runs, or spawns its own; restarts a crashed child within a crash budget; takes over
// when the owning window goes away. Every lifecycle operation runs through one queue, and a
// generation number lets late callbacks of a previous connection recognize they are stale.
// No `vscode` import: the UI is drawn from `state` and `activity`; mocha drives this class
// against a fake bridge.
import type { InfoBody, ReadyLine } from '../bridge/protocol';
import { type ActivityConnection, connectActivity } from './activityClient';
import { type ActivityView, applyActivity, emptyActivity } from './activityView';
import { probeBridge, waitUntilFree } from './bridgeProbe';
import {
  type BridgeProcess,
  type ExitInfo,
  READY_TIMEOUT_MS,
  STOP_GRACE_MS,
  spawnBridge,
} from './bridgeProcess';
import type { BridgeConnection, BridgeState } from './bridgeState';
import { isCancellation } from './cancellation';
import { CrashBudget } from './crashBudget';
import { Emitter } from './emitter';
import type { Logger } from './logger';
import type { LifeScopes } from './scope';
import { portInUseMessage } from './startFailure';

/** Everything needed to start (or find) the bridge, read fresh from settings and secrets. */
export interface LaunchPlan {
  port: number;
  token: string;
  args: string[];
  /** CUSTOMGPT_BRIDGE_TOKEN and, outside demo mode, CUSTOMGPT_API_KEY. */
  secretEnv: Record<string, string>;
  /** False without a CustomGPT.ai key outside demo mode: attaching is still fine. */
  canSpawn: boolean;
}

export interface SupervisorTiming {
  /** Takeover delay after the owner's bridge went away: min + random * jitter. */
  takeoverMinMs: number;
  takeoverJitterMs: number;
  /** Pause before probing again after losing a port race. */
  portRaceDelayMs: number;
  /** Retries of the whole probe/spawn sequence when a race or a token change interferes. */
  attempts: number;
  readyTimeoutMs: number;
  stopGraceMs: number;
}

export const DEFAULT_TIMING: SupervisorTiming = {
  takeoverMinMs: 250,
  takeoverJitterMs: 1000,
  portRaceDelayMs: 300,
  attempts: 4,
  readyTimeoutMs: READY_TIMEOUT_MS,
  stopGraceMs: STOP_GRACE_MS,
};

export interface SupervisorDeps {
  plan(): Promise<LaunchPlan>;
  execPath: string;
  bridgeScript: string;
  log: Logger;
  /** One stderr line of the child (a JSON log record); the sink redacts and levels it. */
  bridgeLog(line: string): void;
  scopes: LifeScopes;
  random?: () => number;
  now?: () => number;
  timing?: Partial<SupervisorTiming>;
  crashBudget?: CrashBudget;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class BridgeSupervisor {
  private current: BridgeState = { kind: 'stopped', reason: 'not-started' };
  private view: ActivityView = emptyActivity();
  private readonly changed = new Emitter<BridgeState>();
  /** Fires on every state or activity change (the status bar redraws). */
  readonly onDidChange = this.changed.event;
  private queue: Promise<void> = Promise.resolve();
  /** Whether this window wants a bridge at all (false after Stop, crash budget, dispose). */
  private wanted = false;
  private generation = 0;
  private token: string | undefined;
  private ownProcess: BridgeProcess | undefined;
  private readonly budget: CrashBudget;
  private readonly timing: SupervisorTiming;
  private readonly random: () => number;
  private readonly now: () => number;
  private disposed = false;

  constructor(private readonly deps: SupervisorDeps) {
    this.timing = { ...DEFAULT_TIMING, ...deps.timing };
    this.budget = deps.crashBudget ?? new CrashBudget();
    this.random = deps.random ?? Math.random;
    this.now = deps.now ?? Date.now;
  }

  get state(): BridgeState {
    return this.current;
  }

  get activity(): ActivityView {
    return this.view;
  }

  /** Base URL and token for clients in this window (the chat), while running. */
  get credentials(): { url: string; token: string; port: number } | undefined {
    if (this.current.kind !== 'running' || !this.token) return undefined;
    const { url, port } = this.current.connection;
    return { url, token: this.token, port };
  }

  /** Start (or attach). `byUser` grants a fresh crash budget. No-op while running or starting. */
  start(byUser = true): Promise<void> {
    return this.enqueue(async () => {
      if (byUser) this.budget.reset();
      this.wanted = true;
      if (this.current.kind === 'running' || this.current.kind === 'starting') return;
      await this.teardown();
      await this.connectOrSpawn();
    });
  }

  /** Stops this window's bridge, or detaches from another window's (which keeps serving). */
  stop(): Promise<void> {
    return this.enqueue(async () => {
      this.wanted = false;
      await this.teardown();
      this.setState({ kind: 'stopped', reason: 'user' });
    });
  }

  /**
   * A fresh bridge with the current settings and secrets. In a window attached to another
   * window's bridge, that bridge is asked to exit first; whoever wins the port then serves.
   */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.budget.reset();
      this.wanted = true;
      const attachedPid =
        this.current.kind === 'running' && !this.current.connection.owner
          ? this.current.connection.pid
          : undefined;
      const port = this.current.kind === 'running' ? this.current.connection.port : undefined;
      await this.teardown();
      if (attachedPid !== undefined && port !== undefined) {
        this.deps.log.info(`Asking the shared bridge (pid ${attachedPid}) to exit for a restart.`);
        try {
          process.kill(attachedPid, 'SIGTERM');
        } catch (error) {
          this.deps.log.warn(`Could not signal pid ${attachedPid}: ${String(error)}`);
        }
        await waitUntilFree(port, this.timing.stopGraceMs + 1000);
      }
      await this.connectOrSpawn();
    });
  }

  /**
   * Settings or secrets changed. The owner restarts its bridge to apply them; an attached window
   * only re-attaches when the port moved (the owner applies the rest); a window in error retries.
   */
  applyChanges(change: { portChanged: boolean }): Promise<void> {
    return this.enqueue(async () => {
      const state = this.current;
      if (!this.wanted && state.kind !== 'error') return;
      if (state.kind === 'running' && !state.connection.owner && !change.portChanged) return;
      if (state.kind === 'stopped' && state.reason !== 'no-key') return;
      this.wanted = true;
      await this.teardown();
      await this.connectOrSpawn();
    });
  }

  /** Resolves with the connection once running, or undefined on error/stop/timeout. */
  waitForRunning(timeoutMs: number): Promise<BridgeConnection | undefined> {
    if (this.current.kind === 'running') return Promise.resolve(this.current.connection);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const subscription = this.onDidChange((state) => {
        if (state.kind === 'running') finish(state.connection);
        else if (state.kind === 'error' || state.kind === 'stopped') finish(undefined);
      });
      function finish(value: BridgeConnection | undefined) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      }
    });
  }

  /** For deactivate: stops an owned child (SIGTERM, SIGKILL after the grace period). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.wanted = false;
    this.generation++;
    this.current = { kind: 'stopped', reason: 'disposed' };
    await this.deps.scopes.renewBridge();
    this.changed.dispose();
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.disposed) return;
      try {
        await operation();
      } catch (error) {
        if (isCancellation(error)) {
          // VS Code cancelled a pending call (a secret read while the window closes): nothing
          // failed. Not left "starting", which would make every later Start a no-op.
          this.deps.log.debug(`Bridge supervision was canceled by VS Code: ${String(error)}`);
          this.setState({ kind: 'stopped', reason: 'not-started' });
          return;
        }
        this.deps.log.error(`Bridge supervision failed: ${String(error)}`);
        this.setState({ kind: 'error', message: `Unexpected failure: ${String(error)}` });
      }
    });
    this.queue = run;
    return run;
  }

  private setState(state: BridgeState): void {
    if (this.disposed) return;
    this.current = state;
    this.changed.fire(state);
  }

  /** Ends the current connection (and owned process) and invalidates its late callbacks. */
  private async teardown(): Promise<void> {
    this.generation++;
    this.ownProcess = undefined;
    this.token = undefined;
    this.view = emptyActivity();
    await this.deps.scopes.renewBridge();
  }

  private async connectOrSpawn(): Promise<void> {
    const generation = this.generation;
    let plan = await this.deps.plan();
    this.setState({ kind: 'starting', port: plan.port });
    for (let attempt = 1; attempt <= this.timing.attempts; attempt++) {
      const probe = await probeBridge(plan.port, plan.token);
      if (generation !== this.generation) return;
      switch (probe.kind) {
        case 'ours':
          this.attach(probe.info, plan, generation);
          return;
        case 'foreign-bridge':
          // Right after first run two windows may both have created a token; the loser re-reads.
          this.deps.log.warn(`The bridge on port ${plan.port} rejected this window's token.`);
          await sleep(this.timing.portRaceDelayMs * 2);
          plan = await this.deps.plan();
          continue;
        case 'other':
          this.deps.log.warn(`Port ${plan.port} answers but not as a bridge: ${probe.detail}`);
          this.setState({ kind: 'error', message: portInUseMessage(plan.port) });
          return;
        case 'free': {
          if (!plan.canSpawn) {
            this.setState({ kind: 'stopped', reason: 'no-key' });
            return;
          }
          const spawned = await this.spawn(plan);
          if (generation !== this.generation) {
            if (spawned.kind === 'ready') await spawned.process.stop(this.timing.stopGraceMs);
            return;
          }
          if (spawned.kind === 'ready') {
            this.adopt(spawned.ready, spawned.process, plan, generation);
            return;
          }
          if (spawned.kind === 'failed') {
            this.deps.log.error(spawned.message);
            this.setState({ kind: 'error', message: spawned.message });
            return;
          }
          // Port taken between probe and listen: most likely another window won the race.
          this.deps.log.info(`Port ${plan.port} was taken while starting; probing again.`);
          await sleep(this.timing.portRaceDelayMs + this.random() * this.timing.portRaceDelayMs);
          continue;
        }
      }
    }
    if (generation !== this.generation) return;
    const last = await probeBridge(plan.port, plan.token);
    this.setState({
      kind: 'error',
      message:
        last.kind === 'foreign-bridge'
          ? `Port ${plan.port} is held by a CustomGPT bridge of another VS Code instance or user ` +
            '(it rejects this window\'s token). Change the setting "customgpt.port", or stop that bridge.'
          : portInUseMessage(plan.port),
    });
  }

  private spawn(plan: LaunchPlan) {
    this.deps.log.info(`Starting the bridge on port ${plan.port}.`);
    return spawnBridge({
      execPath: this.deps.execPath,
      script: this.deps.bridgeScript,
      args: plan.args,
      secretEnv: plan.secretEnv,
      port: plan.port,
      readyTimeoutMs: this.timing.readyTimeoutMs,
      onStderrLine: (line) => this.deps.bridgeLog(line),
    });
  }

  private adopt(ready: ReadyLine, child: BridgeProcess, plan: LaunchPlan, generation: number) {
    const scope = this.deps.scopes.bridge;
    this.ownProcess = child;
    this.token = ready.token || plan.token;
    scope.add(() => child.stop(this.timing.stopGraceMs).then(() => undefined));
    child.onExit((info) => this.onOwnExit(info, child, generation));
    this.deps.log.info(
      `Bridge ready at ${ready.url} (pid ${child.pid ?? '?'}, mode ${ready.mode}).`,
    );
    this.setState({
      kind: 'running',
      connection: {
        url: ready.url,
        port: ready.port,
        mode: ready.mode,
        project: ready.project,
        simulated: ready.simulated === true,
        owner: true,
        pid: child.pid,
      },
    });
    this.watchActivity(ready.port, generation, true);
  }

  private attach(info: InfoBody, plan: LaunchPlan, generation: number) {
    this.token = plan.token;
    this.view = { ...emptyActivity(), model: info.model, active: info.activeStreams ?? 0 };
    this.deps.log.info(
      `Attached to the bridge another window runs at ${info.url} (pid ${info.pid}).`,
    );
    this.setState({
      kind: 'running',
      connection: {
        url: info.url,
        port: info.port,
        mode: info.mode,
        project: info.project,
        simulated: info.simulated === true,
        owner: false,
        pid: info.pid,
      },
    });
    this.watchActivity(info.port, generation, false);
  }

  /** Subscribes to the activity channel; for an attached window its end means "take over". */
  private watchActivity(port: number, generation: number, owner: boolean, retries = 0): void {
    const token = this.token;
    if (!token) return;
    let connection: ActivityConnection | undefined = connectActivity(port, token, {
      onEvent: (event) => {
        if (generation !== this.generation) return;
        this.view = applyActivity(this.view, event);
        this.changed.fire(this.current);
      },
      onClose: (info) => {
        connection = undefined;
        if (generation !== this.generation || !this.wanted) return;
        if (this.view.connected) {
          this.view = { ...this.view, connected: false, active: 0, cps: 0 };
          this.changed.fire(this.current);
        }
        if (owner) {
          // Our child still runs (its exit is handled elsewhere): reconnect the socket.
          if (this.ownProcess && !this.ownProcess.hasExited && retries < 5) {
            this.deps.log.debug(`Activity channel ${info.reason}; reconnecting.`);
            const timer = setTimeout(
              () => {
                if (generation === this.generation)
                  this.watchActivity(port, generation, owner, retries + 1);
              },
              500 * (retries + 1),
            );
            this.deps.scopes.bridge.add(() => clearTimeout(timer));
          }
          return;
        }
        this.scheduleTakeover(generation, info.reason);
      },
    });
    this.deps.scopes.bridge.add(() => connection?.close());
  }

  /** The owner's bridge went away: after a small random delay, probe and attach or spawn. */
  private scheduleTakeover(generation: number, reason: string): void {
    const delay = this.timing.takeoverMinMs + this.random() * this.timing.takeoverJitterMs;
    this.deps.log.info(
      `The shared bridge went away (${reason}); taking over in ${Math.round(delay)} ms.`,
    );
    this.setState({ kind: 'starting', port: this.currentPort() });
    const timer = setTimeout(() => {
      void this.enqueue(async () => {
        if (generation !== this.generation || !this.wanted) return;
        await this.teardown();
        await this.connectOrSpawn();
      });
    }, delay);
    this.deps.scopes.bridge.add(() => clearTimeout(timer));
  }

  private currentPort(): number {
    const state = this.current;
    if (state.kind === 'running') return state.connection.port;
    if (state.kind === 'starting') return state.port;
    return 0;
  }

  private onOwnExit(info: ExitInfo, child: BridgeProcess, generation: number): void {
    if (generation !== this.generation || child.isStopping || !this.wanted) return;
    const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
    this.deps.log.error(`The bridge exited unexpectedly (${how}).`);
    void this.enqueue(async () => {
      if (generation !== this.generation) return;
      const port = this.currentPort();
      await this.teardown();
      const decision = this.budget.recordCrash(this.now());
      if (!decision.restart) {
        this.wanted = false;
        const message = this.budget.describe(decision.crashes);
        this.deps.log.error(message);
        this.setState({ kind: 'error', message });
        return;
      }
      this.deps.log.info(`Restarting the bridge in ${decision.delayMs} ms.`);
      this.setState({ kind: 'starting', port });
      const restartGeneration = this.generation;
      const timer = setTimeout(() => {
        void this.enqueue(async () => {
          if (restartGeneration !== this.generation || !this.wanted) return;
          await this.connectOrSpawn();
        });
      }, decision.delayMs);
      this.deps.scopes.bridge.add(() => clearTimeout(timer));
    });
  }
}
