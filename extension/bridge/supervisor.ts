// Keeps this window connected to a bridge: attaches to one that another window of the same user
// already runs (after it proved it holds our token, see bridgeProbe.ts), or spawns its own;
// restarts a crashed child within a crash budget; takes over when the owning window goes away.
// Every lifecycle operation runs through one queue, and a generation number lets late callbacks
// of a previous connection recognize they are stale.
// Multi-window semantics: Stop in any window stops the shared bridge for every window until
// Start (a shared "stopped by user" flag, read before any takeover or automatic start); a
// requested exit (Stop, Restart from another window) is never counted as a crash.
// A port held by a program that is not our bridge is skipped (portScan.ts); the port used is
// reported through `onPortChosen` (the caller remembers it).
// No `vscode` import: the UI is drawn from `state` and `activity`; mocha drives this class
// against a fake bridge.
import type { InfoBody, ReadyLine } from '../../bridge/protocol';
import { isCancellation } from '../core/cancellation';
import { Emitter } from '../core/emitter';
import type { Logger } from '../core/logger';
import type { LifeScopes } from '../core/scope';
import { type ActivityView, applyActivity, emptyActivity } from '../status/activityView';
import { type ActivityConnection, connectActivity } from './activityClient';
import { signalVerifiedBridge } from './bridgePid';
import { waitUntilFree } from './bridgeProbe';
import {
  type BridgeProcess,
  type ExitInfo,
  READY_TIMEOUT_MS,
  STOP_GRACE_MS,
  spawnBridge,
} from './bridgeProcess';
import { type BridgeConnection, type BridgeState, baseOrigin } from './bridgeState';
import { CrashBudget } from './crashBudget';
import { argsWithPort, portCandidates, scanPorts } from './portScan';

/** Everything needed to start (or find) the bridge, read fresh from settings and secrets. */
export interface LaunchPlan {
  /** The configured port. */
  port: number;
  /** A fallback port used before on this machine (tried first, so copied settings keep working). */
  rememberedPort?: number | undefined;
  token: string;
  /** The bridge's command line; its `--port` value is replaced by the port chosen. */
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
  /** First delay before reconnecting the owner's activity channel; grows per consecutive drop. */
  activityRetryMs: number;
}

/** Consecutive activity-channel drops (without a successful connection between) tolerated. */
export const ACTIVITY_RETRIES = 5;

/** "Stopped by the user" shared by every window (a file in global storage: stopFlag.ts). */
export interface SharedStopFlag {
  isSet(): Promise<boolean>;
  set(stopped: boolean): Promise<void>;
}

/** Pure: whether an exit of our own child was asked for (SIGTERM handled: code 0), not a crash. */
export function isRequestedExit(info: ExitInfo): boolean {
  return info.code === 0 && info.signal === null;
}

export const DEFAULT_TIMING: SupervisorTiming = {
  takeoverMinMs: 250,
  takeoverJitterMs: 1000,
  portRaceDelayMs: 300,
  attempts: 4,
  readyTimeoutMs: READY_TIMEOUT_MS,
  stopGraceMs: STOP_GRACE_MS,
  activityRetryMs: 500,
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
  /** Shared across windows; without it (tests of one window) a flag private to this one. */
  stopFlag?: SharedStopFlag;
  /** The bridge runs on `port` (differs from `configured` after a fallback): remember it. */
  onPortChosen?(configured: number, port: number): void;
  /** Signals another window's bridge after checking the pid; default: bridgePid.ts. */
  signalBridge?(pid: number, port: number): Promise<boolean>;
}

function privateStopFlag(): SharedStopFlag {
  let stopped = false;
  return {
    isSet: async () => stopped,
    set: async (value) => {
      stopped = value;
    },
  };
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
  private readonly stopFlag: SharedStopFlag;
  /** The port of the last bridge this window used (shown while it reconnects). */
  private lastPort = 0;
  private disposed = false;

  constructor(private readonly deps: SupervisorDeps) {
    this.timing = { ...DEFAULT_TIMING, ...deps.timing };
    this.stopFlag = deps.stopFlag ?? privateStopFlag();
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

  /**
   * Start (or attach). `byUser` grants a fresh crash budget and lifts a Stop for every window;
   * an automatic start (auto-start, another window's Start) respects a Stop in force.
   * No-op while running or starting.
   */
  start(byUser = true): Promise<void> {
    return this.enqueue(async () => {
      if (byUser) {
        this.budget.reset();
        await this.stopFlag.set(false);
      } else if (await this.stopFlag.isSet()) {
        this.setStoppedByUser();
        return;
      }
      this.wanted = true;
      if (this.current.kind === 'running' || this.current.kind === 'starting') return;
      await this.teardown();
      await this.connectOrSpawn();
    });
  }

  /**
   * Stops the bridge for every window until someone presses Start: the shared flag is set first
   * (so no window takes over), then this window's own bridge stops, or, when attached, the
   * shared bridge is asked to exit (its owner sees the flag and does not restart it).
   */
  stop(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopFlag.set(true);
      const attached = this.attachedConnection();
      this.wanted = false;
      await this.teardown();
      if (attached) await this.askToExit(attached, 'stop');
      this.setStoppedByUser();
    });
  }

  /**
   * The shared flag changed in another window. Set: stop or detach here too (the owner stops
   * its child). Cleared: a window that was stopped by the user starts (attaches) again.
   */
  onSharedStopChanged(): Promise<void> {
    return this.enqueue(async () => {
      const stopped = await this.stopFlag.isSet();
      const state = this.current;
      if (stopped && (this.wanted || state.kind === 'starting' || state.kind === 'running')) {
        this.deps.log.info('The bridge was stopped in another window.');
        this.wanted = false;
        await this.teardown();
        this.setStoppedByUser();
      } else if (!stopped && state.kind === 'stopped' && state.reason === 'user') {
        // After a pause, so that the window where Start was pressed spawns and this one attaches.
        this.wanted = true;
        await this.teardown();
        this.scheduleTakeover(this.generation, 'The bridge was started in another window');
      }
    });
  }

  /**
   * A fresh bridge with the current settings and secrets. In a window attached to another
   * window's bridge, that bridge is asked to exit first; whoever wins the port then serves.
   */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.budget.reset();
      await this.stopFlag.set(false);
      this.wanted = true;
      const attached = this.attachedConnection();
      await this.teardown();
      if (attached) await this.askToExit(attached, 'restart');
      await this.connectOrSpawn();
    });
  }

  private attachedConnection(): BridgeConnection | undefined {
    const state = this.current;
    return state.kind === 'running' && !state.connection.owner ? state.connection : undefined;
  }

  /**
   * Asks another window's bridge to exit, by SIGTERM to its pid only after the OS confirmed it
   * is our bridge on that port, run by this user (bridgePid.ts). Its owner takes the clean exit
   * as requested (never a crash): with the stop flag set it stays stopped, else it reconnects.
   */
  private async askToExit(connection: BridgeConnection, why: 'stop' | 'restart'): Promise<void> {
    const pid = connection.pid ?? 0;
    const signal =
      this.deps.signalBridge ??
      ((p: number, port: number) => signalVerifiedBridge(p, port, this.deps.bridgeScript));
    if (!(await signal(pid, connection.port))) {
      this.deps.log.warn(
        `Did not signal pid ${pid}: it is not verifiably our bridge on port ${connection.port}.`,
      );
      return;
    }
    this.deps.log.info(`Asked the shared bridge (pid ${pid}) to exit for a ${why}.`);
    await waitUntilFree(connection.port, this.timing.stopGraceMs + 1000);
  }

  private setStoppedByUser(): void {
    this.wanted = false;
    if (this.current.kind !== 'stopped' || this.current.reason !== 'user') {
      this.setState({ kind: 'stopped', reason: 'user' });
    }
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
    if (state.kind === 'running') this.lastPort = state.connection.port;
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
    this.setState({ kind: 'starting', port: plan.rememberedPort ?? plan.port });
    let rereadToken = false;
    /** Ports that refused our bridge although nothing answered there (see below). */
    const unbindable = new Set<number>();
    for (let attempt = 1; attempt <= this.timing.attempts; attempt++) {
      const found = await scanPorts(plan, unbindable, this.deps.log);
      if (generation !== this.generation) return;
      if (found.ours) {
        this.attach(found.ours.info, plan, generation);
        return;
      }
      if (found.unproven && !rereadToken) {
        // Right after first run two windows may both have created a token: re-read it once.
        rereadToken = true;
        await sleep(this.timing.portRaceDelayMs * 2);
        plan = await this.deps.plan();
        continue;
      }
      if (found.free === undefined) break;
      if (!plan.canSpawn) {
        this.setState({ kind: 'stopped', reason: 'no-key' });
        return;
      }
      const spawned = await this.spawn(plan, found.free);
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
      // Port taken between probe and listen: most likely another window won the race (the next
      // scan finds its bridge). Else something that does not answer holds it (a client socket
      // bound to that local port, a listener on another address): the next scan skips it.
      unbindable.add(found.free);
      this.deps.log.info(`Port ${found.free} was taken while starting; probing again.`);
      await sleep(this.timing.portRaceDelayMs + this.random() * this.timing.portRaceDelayMs);
    }
    if (generation !== this.generation) return;
    const last = portCandidates(plan);
    this.setState({
      kind: 'error',
      message:
        `Ports ${last[0]}-${last.at(-1)} are all held by other programs or by bridges of ` +
        'another VS Code instance or user. Change the setting "customgpt.port", or stop one of them.',
    });
  }

  private spawn(plan: LaunchPlan, port: number) {
    this.deps.log.info(
      port === plan.port
        ? `Starting the bridge on port ${port}.`
        : `Starting the bridge on port ${port} (port ${plan.port} is taken).`,
    );
    return spawnBridge({
      execPath: this.deps.execPath,
      script: this.deps.bridgeScript,
      args: argsWithPort(plan.args, port),
      secretEnv: plan.secretEnv,
      port,
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
    // The URL is built here from the port, like for an attached bridge (never taken from a peer).
    const url = `${baseOrigin(ready.port)}/v1`;
    this.deps.log.info(`Bridge ready at ${url} (pid ${child.pid ?? '?'}, mode ${ready.mode}).`);
    this.deps.onPortChosen?.(plan.port, ready.port);
    this.setState({
      kind: 'running',
      connection: {
        url,
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
      `Attached to the bridge another window runs at ${info.url} (pid ${info.pid || '?'}).`,
    );
    this.deps.onPortChosen?.(plan.port, info.port);
    this.setState({
      kind: 'running',
      connection: {
        url: info.url,
        port: info.port,
        mode: info.mode,
        project: info.project,
        simulated: info.simulated === true,
        owner: false,
        pid: info.pid || undefined,
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
        // A drop after a working connection starts the count anew: only consecutive failures
        // to connect may exhaust it (else five drops in one bridge's life end the channel).
        const failures = info.opened ? 0 : retries;
        if (generation !== this.generation || !this.wanted) return;
        if (this.view.connected) {
          this.view = { ...this.view, connected: false, active: 0, cps: 0 };
          this.changed.fire(this.current);
        }
        if (owner) {
          // Our child still runs (its exit is handled elsewhere): reconnect the socket.
          if (this.ownProcess && !this.ownProcess.hasExited && failures < ACTIVITY_RETRIES) {
            this.deps.log.debug(`Activity channel ${info.reason}; reconnecting.`);
            const timer = setTimeout(
              () => {
                if (generation === this.generation)
                  this.watchActivity(port, generation, owner, failures + 1);
              },
              this.timing.activityRetryMs * (failures + 1),
            );
            this.deps.scopes.bridge.add(() => clearTimeout(timer));
          }
          return;
        }
        this.scheduleTakeover(generation, `The shared bridge went away (${info.reason})`);
      },
    });
    this.deps.scopes.bridge.add(() => connection?.close());
  }

  /** The owner's bridge went away: after a small random delay, probe and attach or spawn. */
  private scheduleTakeover(generation: number, what: string): void {
    const delay = this.timing.takeoverMinMs + this.random() * this.timing.takeoverJitterMs;
    this.deps.log.info(`${what}; connecting in ${Math.round(delay)} ms.`);
    this.setState({ kind: 'starting', port: this.currentPort() });
    const timer = setTimeout(() => {
      void this.enqueue(async () => {
        if (generation !== this.generation || !this.wanted) return;
        await this.teardown();
        // Stopped by the user in the owning window: stay stopped, do not spawn a new one.
        if (await this.stopFlag.isSet()) {
          this.deps.log.info('The shared bridge was stopped by the user; not taking over.');
          this.setStoppedByUser();
          return;
        }
        await this.connectOrSpawn();
      });
    }, delay);
    this.deps.scopes.bridge.add(() => clearTimeout(timer));
  }

  private currentPort(): number {
    const state = this.current;
    if (state.kind === 'running') return state.connection.port;
    if (state.kind === 'starting') return state.port;
    return this.lastPort;
  }

  private onOwnExit(info: ExitInfo, child: BridgeProcess, generation: number): void {
    if (generation !== this.generation || child.isStopping || !this.wanted) return;
    void this.enqueue(async () => {
      if (generation !== this.generation) return;
      const port = this.currentPort();
      await this.teardown();
      if (await this.stopFlag.isSet()) {
        this.deps.log.info('The bridge was stopped from another window.');
        this.setStoppedByUser();
        return;
      }
      if (isRequestedExit(info)) {
        // Asked to exit (Restart in another window, or a SIGTERM from the user): not a crash.
        this.deps.log.info('The bridge exited on request; connecting to its successor.');
        await this.connectOrSpawn();
        return;
      }
      const how = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
      this.deps.log.error(`The bridge exited unexpectedly (${how}).`);
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
