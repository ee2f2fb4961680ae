// The bridge CLI: flags + environment -> startBridge -> one ready line on stdout -> signals.
// Bundled as dist/bridge-main.js, loaded by launcher.ts (dist/bridge.js) once the V8 flags are set.
// stdout carries only the ready line (drivers parse it); logs go to stderr as JSON lines.
import { PortInUseError, startBridge } from './app';
import { flushBridgeCompileCache } from './compile-cache';
import { ConfigError, parseCli, USAGE } from './config';
import { processVotes } from './favour-memory';
import { startLoopDelayReport } from './loop-delay';
import { loadMcp } from './mcp/lazy';
import type { ReadyLine } from './protocol';
import { rehearseFirstQuestion } from './rehearsal';

/** A stop signal repeated within this time is the same request delivered twice. */
const REPEAT_GRACE_MS = 500;

async function main(): Promise<void> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), 2, true);
    return;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  // MCP on stdio: stdout is the MCP channel, so no ready line (bridge/mcp/stdio.ts).
  if (cli.mcpStdio) return loadMcp().runMcpStdio(cli.options);
  const bridge = await startBridge(cli.options);
  const loopReport = startLoopDelayReport(process.env, processVotes);
  // Handlers first: a driver may signal the moment it reads the ready line.
  let stopping = false;
  let stopAsked = 0;
  const stop = (why: string) => {
    if (stopping) {
      // One Ctrl-C under `npm start` arrives twice (from the terminal, and forwarded by npm):
      // only a request a moment later means "now".
      if (Date.now() - stopAsked < REPEAT_GRACE_MS) return;
      bridge.log.warn('second stop request: exiting now');
      process.exit(0);
    }
    stopping = true;
    stopAsked = Date.now();
    bridge.log.info('stopping: letting open requests finish', { why });
    bridge.close().then(
      () => {
        loopReport?.flush();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  // A stray rejection (a bug) is logged; it must not take down every open stream with it.
  process.on('unhandledRejection', (reason) => {
    bridge.log.error('unhandled promise rejection', { reason });
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const ready: ReadyLine = {
    event: 'ready',
    url: bridge.url,
    port: bridge.port,
    token: bridge.token,
    mode: bridge.mode,
    project: bridge.project,
  };
  if (bridge.simulated) ready.simulated = true;
  process.stdout.write(JSON.stringify(ready) + '\n');
  setImmediate(flushBridgeCompileCache);
  if (bridge.simulated) {
    bridge.log.warn(
      'DEMO MODE: answers are SIMULATED by the built-in CustomGPT.ai simulator; no key is used',
      {
        url: bridge.url,
        project: bridge.project,
      },
    );
  } else {
    bridge.log.info('bridge ready', {
      url: bridge.url,
      mode: bridge.mode,
      project: bridge.project || null,
    });
  }

  if (cli.rehearse) {
    // After the start-up calls, so it never delays them (rehearsal.ts).
    bridge.warmedUp
      .then(async () => {
        if (stopping) return;
        const ms = await rehearseFirstQuestion(startBridge, cli.options);
        bridge.log.debug('start-up rehearsal done', { ms: Math.round(ms) });
      })
      .catch((err: unknown) =>
        bridge.log.info('start-up rehearsal failed; the first question may be slower', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
  }

  if (cli.stdinLifeline) {
    // The parent (VS Code) holds our stdin open; when it dies, stdin ends and so do we.
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin closed'));
    process.stdin.resume();
  }
}

function fail(message: string, code: number, usage = false): void {
  process.stderr.write(
    JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: message }) +
      '\n' +
      (usage ? USAGE : ''),
  );
  process.exitCode = code;
}

main().catch((err: unknown) => {
  if (err instanceof PortInUseError) fail(err.message, 3);
  else if (err instanceof ConfigError) fail(err.message, 2);
  else fail(`bridge failed to start: ${err instanceof Error ? err.message : String(err)}`, 1);
});
