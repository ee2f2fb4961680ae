// Wires the bridge together from its configuration and starts listening. Used by the CLI
// (main.ts) and, in-process, by tests and benchmarks.
import { randomBytes } from 'node:crypto';
import { ActivityHub } from './activity';
import type { ChatDeps } from './chat/handler';
import { type BridgeOptions, ConfigError, resolveConfig } from './config';
import { projectInfo } from './control/project';
import { Guard } from './http/guard';
import { type IdleGc, startIdleGc } from './idle-gc';
import { createLogger, type Logger, makeRedactor, silentLogger } from './log';
import { LazyMcpEndpoint, loadMcp } from './mcp/lazy';
import { ProjectModels } from './models/catalog';
import type { BridgeMode, InfoBody } from './protocol';
import { ResponseMemory } from './responses/memory';
import { bridgeRoutes } from './routes';
import { createBridgeServer } from './server';
import { DEMO_PROJECT_ID, type Simulator, startSimulator } from './simulator/index';
import { ProjectProfiles } from './upstream/profiles';
import { createUpstream } from './upstream/stack';
import { warmUp } from './upstream/warmup';
import { VERSION } from './version';

export interface RunningBridge {
  /** OpenAI base URL: http://127.0.0.1:PORT/v1 */
  url: string;
  origin: string;
  port: number;
  token: string;
  mode: BridgeMode;
  project: string;
  simulated: boolean;
  log: Logger;
  activeStreams(): number;
  /** Settles when the start-up work (upstream/warmup.ts) is done; tests wait for it. */
  warmedUp: Promise<void>;
  /** Sizes of the bounded caches, for soak tests. */
  cacheSizes(): { sessions: number; citations: number };
  /** Stop accepting, let open requests finish (bounded), then close everything. */
  close(graceMs?: number): Promise<void>;
}

const HELLO_NAME_WAIT_MS = 3000;

export class PortInUseError extends ConfigError {}

export async function startBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const config = resolveConfig(opts);
  let sim: Simulator | undefined;
  let upstream = config.upstream;
  let apiKey = config.apiKey;
  let project = config.project;
  if (config.demo) {
    // The real upstream client talks to the simulator: the whole path runs, answers are simulated.
    sim = await startSimulator({ port: 0 });
    upstream = sim.url;
    apiKey = sim.apiKey;
    project = project ?? DEMO_PROJECT_ID;
  }
  const mode: BridgeMode = config.demo ? 'demo' : config.upstreamMode;
  const token = config.token ?? randomBytes(32).toString('base64url');
  const redact = makeRedactor([apiKey, token]);
  const log =
    config.log === 'silent'
      ? silentLogger
      : createLogger({ level: config.log, secrets: [apiKey, token] });

  const shared = createUpstream(config, upstream, apiKey, {
    onSpareError: (what, err) =>
      log.info(what, { error: redact(err instanceof Error ? err.message : String(err)) }),
  });
  const { client, projects, citations, sessions, backend, spares } = shared;
  const profiles = new ProjectProfiles(projects);
  const guard = new Guard(token, config.allowedOrigins);
  const shutdown = new AbortController();

  let port = 0;
  const origin = () => `http://${config.host === '::1' ? '[::1]' : '127.0.0.1'}:${port}`;
  const cacheSizes = () => ({ sessions: sessions.size, citations: citations.size });
  const info = async (): Promise<InfoBody> => ({
    service: 'customgpt-bridge',
    version: VERSION,
    pid: process.pid,
    port,
    url: `${origin()}/v1`,
    mode,
    project: project ?? '',
    model: project ? await projects.cachedModel(project) : null,
    simulated: config.demo,
    activeStreams: activity.activeStreams,
    caches: cacheSizes(),
  });
  // The activity channel's greeting is a subset of /bridge/info.
  // The project's name waits a little (it is looked up at start): the status bar shows it.
  const activity = new ActivityHub(async () => {
    const { mode, project: id, model, url, simulated } = await info();
    const projectName = id ? (await profiles.within(id, HELLO_NAME_WAIT_MS)).name : null;
    return { mode, project: id, model, url, simulated, projectName };
  });

  const chat: ChatDeps = {
    backend,
    projects,
    citations,
    activity,
    log,
    redact,
    project,
    onUnsupported: config.onUnsupported,
    citationStyle: config.citations,
    pingIntervalMs: config.pingIntervalMs,
    resolvesCitations: config.upstreamMode === 'native',
    shutdown: shutdown.signal,
  };
  const mcp = new LazyMcpEndpoint(() =>
    loadMcp().mcpDepsOf(shared, {
      project,
      native: config.upstreamMode === 'native',
      log,
      redact,
      activity,
      shutdown: shutdown.signal,
    }),
  );
  // Set once the server exists (it needs the server's count); no request arrives before listen().
  let idleGc: IdleGc | undefined;
  const { server, inFlight } = createBridgeServer({
    routes: bridgeRoutes({
      chat,
      projects,
      models: new ProjectModels(projects, project),
      responses: new ResponseMemory(config.sessionMax, config.sessionTtlMs),
      info,
      mcp,
      upstream: client,
      identity: () => ({ token, port }),
      projectInfo: projectInfo(profiles, project, config.demo),
    }),
    guard,
    activity,
    log,
    redact,
    bodyLimitBytes: config.bodyLimitBytes,
    maxConcurrent: config.maxConcurrent,
    requestTimeoutMs: config.requestTimeoutMs,
    onWork: () => idleGc?.wake(),
  });
  // Memory back to near idle after a burst (idle-gc.ts).
  idleGc = startIdleGc(inFlight);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: config.port, host: config.host, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    idleGc.stop();
    await sim?.close();
    await client.destroy();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(
        `port ${config.port} is in use on ${config.host}: another bridge or program holds it. ` +
          'Stop it, or choose another port (--port, or the customgpt.port setting in VS Code).',
      );
    }
    throw err;
  }
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : config.port;
  guard.listeningOn(port);
  // Connection, key check, model lookup and spare conversation now, not on the first question.
  // (The project's profile is looked up when first asked for: by the activity channel's hello
  // or GET /bridge/project, so a bridge nobody watches makes no extra upstream calls.)
  const warmedUp = warmUp({ client, projects, spares, project, log }).catch(() => undefined);

  let closing: Promise<void> | undefined;
  const close = (graceMs = config.shutdownGraceMs) => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (!(await drainedWithin(inFlight, graceMs))) {
        // Out of time: open requests end with an error event (clients retry) rather than a cut.
        shutdown.abort();
        await drainedWithin(inFlight, 500);
      }
      await mcp.close();
      server.closeAllConnections();
      idleGc.stop();
      activity.close();
      await stopped;
      // No unused conversation is left in the user's account.
      await spares?.close();
      await client.destroy();
      await sim?.close();
    })();
    return closing;
  };

  return {
    url: `${origin()}/v1`,
    origin: origin(),
    port,
    token,
    mode,
    project: project ?? '',
    simulated: config.demo,
    log,
    activeStreams: () => activity.activeStreams,
    warmedUp,
    cacheSizes,
    close,
  };
}

/** Waits until no request is in flight; false if `ms` passed first. */
async function drainedWithin(inFlight: () => number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (inFlight() > 0) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
