// An in-process bridge in front of the CustomGPT.ai simulator (or any upstream URL), both on
// 127.0.0.1 with ephemeral ports, started and always stopped by the test that uses it.
import { startBridge } from '../../../bridge/app';
import { startSimulator } from '../../../bridge/simulator/index';
import { httpRequest } from './http';

export type BridgeOptions = Parameters<typeof startBridge>[0];
export type RunningBridge = Awaited<ReturnType<typeof startBridge>>;
export type SimulatorOptions = NonNullable<Parameters<typeof startSimulator>[0]>;
export type Simulator = Awaited<ReturnType<typeof startSimulator>>;
export type Fault = Parameters<Simulator['injectFault']>[0];

export const PROJECT_ID = '1001';
export const SIM_KEY = 'sk-hardening-upstream-4b1d0c7e';

export function bridgeFor(upstream: string, apiKey: string, opts: Partial<BridgeOptions> = {}) {
  return startBridge({
    port: 0,
    host: '127.0.0.1',
    project: PROJECT_ID,
    upstream,
    apiKey,
    log: 'silent',
    ...opts,
  });
}

export interface Stack {
  sim: Simulator;
  bridge: RunningBridge;
  close(): Promise<void>;
}

export async function startStack(
  opts: { sim?: SimulatorOptions; bridge?: Partial<BridgeOptions> } = {},
): Promise<Stack> {
  const sim = await startSimulator({ apiKey: SIM_KEY, ...opts.sim });
  let bridge: RunningBridge;
  try {
    bridge = await bridgeFor(sim.url, sim.apiKey, opts.bridge);
  } catch (err) {
    await sim.close();
    throw err;
  }
  // Start-up requests (key check, model lookup, spare conversation) done before the test acts.
  await bridge.warmedUp;
  return {
    sim,
    bridge,
    close: async () => {
      await bridge.close(2000);
      await sim.close();
    },
  };
}

export async function withStack<T>(
  opts: { sim?: SimulatorOptions; bridge?: Partial<BridgeOptions> },
  body: (s: Stack) => Promise<T>,
): Promise<T> {
  const stack = await startStack(opts);
  try {
    return await body(stack);
  } finally {
    await stack.close();
  }
}

/** GET /bridge/health answers 200 {ok:true}: the bridge is up. */
export async function assertHealthy(port: number): Promise<void> {
  const res = await httpRequest(port, { path: '/bridge/health', timeoutMs: 5000 });
  if (res.status !== 200 || !res.text.includes('"ok":true')) {
    throw new Error(`the bridge is not healthy: ${res.status} ${res.text.slice(0, 200)}`);
  }
}

/** Polls `check` until it holds, bounded. */
export async function waitFor(check: () => boolean, what: string, capMs = 8000): Promise<void> {
  const until = Date.now() + capMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Numbers worth seeing when HARDENING_VERBOSE is set (the suite is quiet otherwise). */
export function note(what: string, value: unknown): void {
  if (process.env.HARDENING_VERBOSE) console.log(`      [${what}] ${JSON.stringify(value)}`);
}
