// One set of running processes for a phase of the bench: the simulator, and in front of it the
// passthrough proxy, the bridge in native and in compat mode, and the peer. Each is its own
// process on loopback; the load generator is another.
import type { Target } from './loadgen/protocol';
import { loopReportEnv } from './loop-reports';
import { BRIDGE_JS, PASSTHROUGH_JS, SIMULATOR_JS } from './paths';
import { PEER_SERVER_JS } from './peer';
import { freePort, readyJson, type Started, spawnNode } from './processes';
import { PROJECT, SIM_CHAT_PATH, SIM_KEY, type TargetName } from './targets';

export interface StackOptions {
  chunkDelayMs: number;
  chunkSize: number;
  /** Which targets to start in front of the simulator (direct needs nothing more). */
  targets: readonly TargetName[];
  bridgeScript?: string;
  /** Node flags for the bridge processes (the profile run adds --cpu-prof). */
  bridgeNodeArgs?: (mode: 'native' | 'compat') => string[];
}

export interface Stack {
  simUrl: string;
  targets: Target[];
  /** The process whose CPU and memory a target's figures are read from (direct: the simulator). */
  pids: Partial<Record<TargetName, number>>;
  processes: Started[];
  stop(): Promise<void>;
}

/** A bridge's environment: the simulator's key, none of the caller's CustomGPT settings. */
export function bridgeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CUSTOMGPT_')) env[k] = v;
  env.CUSTOMGPT_API_KEY = SIM_KEY;
  return env;
}

export function startBridge(
  script: string,
  simUrl: string,
  mode: 'native' | 'compat',
  nodeArgs: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
  bridgeArgs: string[] = [],
): Promise<Started> {
  return spawnNode(
    `bridge ${mode}`,
    script,
    [
      '--port',
      '0',
      '--upstream',
      simUrl,
      '--project',
      PROJECT,
      '--upstream-mode',
      mode,
      '--log',
      'warn',
      ...bridgeArgs,
    ],
    {
      env: { ...bridgeEnv(), ...loopReportEnv(mode), ...extraEnv },
      isReady: (l) => readyJson(l) !== undefined,
      nodeArgs,
    },
  );
}

/** A started bridge's chat completions endpoint, with the token from its ready line. */
export function bridgeTarget(name: string, bridge: Started): Target {
  const ready = readyJson(bridge.readyLine)!;
  return {
    name,
    origin: `http://127.0.0.1:${Number(ready.port)}`,
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${String(ready.token)}` },
  };
}

export async function startPeer(): Promise<{ started: Started; port: number }> {
  const port = await freePort();
  // --headless: no log viewer UI, as a server deployment runs it.
  const started = await spawnNode('peer', PEER_SERVER_JS, [`--port=${port}`, '--headless'], {
    isReady: (l) => l.includes('Ready for connections'),
  });
  return { started, port };
}

/** The simulator as a process of its own: the bench's key, an ephemeral port, then `args`. */
export function spawnSimulator(name: string, args: string[]): Promise<Started> {
  return spawnNode(name, SIMULATOR_JS, ['--port', '0', '--key', SIM_KEY, ...args], {
    isReady: (l) => readyJson(l) !== undefined,
  });
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const processes: Started[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  try {
    const sim = await spawnSimulator('simulator', [
      '--chunk-size',
      String(opts.chunkSize),
      '--chunk-delay',
      String(opts.chunkDelayMs),
    ]);
    processes.push(sim);
    const simUrl = String(readyJson(sim.readyLine)!.url);
    const simAuth = { authorization: `Bearer ${SIM_KEY}` };
    const targets: Target[] = [
      { name: 'direct', origin: simUrl, path: SIM_CHAT_PATH, headers: simAuth },
    ];
    const pids: Partial<Record<TargetName, number>> = { direct: sim.pid };
    const want = new Set(opts.targets);

    const starting: Promise<void>[] = [];
    if (want.has('passthrough')) {
      starting.push(
        spawnNode('passthrough', PASSTHROUGH_JS, ['--upstream', simUrl], {
          isReady: (l) => readyJson(l) !== undefined,
        }).then((p) => {
          processes.push(p);
          pids.passthrough = p.pid;
          const port = Number(readyJson(p.readyLine)!.port);
          targets.push({
            name: 'passthrough',
            origin: `http://127.0.0.1:${port}`,
            path: SIM_CHAT_PATH,
            headers: simAuth,
          });
        }),
      );
    }
    for (const mode of ['native', 'compat'] as const) {
      if (!want.has(mode)) continue;
      const script = opts.bridgeScript ?? BRIDGE_JS;
      starting.push(
        startBridge(script, simUrl, mode, opts.bridgeNodeArgs?.(mode)).then((p) => {
          processes.push(p);
          pids[mode] = p.pid;
          targets.push(bridgeTarget(mode, p));
        }),
      );
    }
    if (want.has('peer')) {
      starting.push(
        startPeer().then(({ started, port }) => {
          processes.push(started);
          pids.peer = started.pid;
          targets.push({
            name: 'peer',
            origin: `http://127.0.0.1:${port}`,
            path: '/v1/chat/completions',
            headers: {
              ...simAuth,
              'x-portkey-provider': 'openai',
              // Portkey appends /chat/completions to the custom host.
              'x-portkey-custom-host': `${simUrl}/api/v1/projects/${PROJECT}`,
            },
          });
        }),
      );
    }
    await Promise.all(starting);
    const order = ['direct', 'passthrough', 'native', 'compat', 'peer'];
    targets.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    return { simUrl, targets, pids, processes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
