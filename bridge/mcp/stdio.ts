// `node dist/bridge.js --mcp-stdio`: the MCP server alone, on stdin/stdout, for clients that
// only spawn processes. No HTTP port and no bearer token (the client owns the pipe); the key
// comes from CUSTOMGPT_API_KEY and the default project from --project or CUSTOMGPT_PROJECT_ID.
// stdout is the MCP channel: nothing else may be written there, so logs go to stderr only.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { type BridgeOptions, resolveConfig } from '../config';
import { createLogger, makeRedactor, silentLogger } from '../log';
import { DEMO_PROJECT_ID, startSimulator } from '../simulator/index';
import { createUpstream } from '../upstream/stack';
import { mcpDepsOf } from './deps';
import { createMcpServer } from './server';

/** Serves MCP on stdio until stdin closes or a signal arrives; resolves when stopped. */
export async function runMcpStdio(opts: BridgeOptions): Promise<void> {
  const config = resolveConfig(opts);
  const sim = config.demo ? await startSimulator({ port: 0 }) : undefined;
  const apiKey = sim ? sim.apiKey : config.apiKey;
  const project = config.project ?? (sim ? DEMO_PROJECT_ID : undefined);
  const log =
    config.log === 'silent' ? silentLogger : createLogger({ level: config.log, secrets: [apiKey] });
  const upstream = createUpstream(config, sim?.url ?? config.upstream, apiKey);
  const server = createMcpServer(
    mcpDepsOf(upstream, {
      project,
      native: config.upstreamMode === 'native',
      log,
      redact: makeRedactor([apiKey]),
    }),
  );
  const transport = new StdioServerTransport();
  const stopped = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await server.close().catch(() => undefined);
      await upstream.client.destroy();
      await sim?.close();
    })();
    return stopping;
  };
  process.stdin.once('end', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await server.connect(transport);
  if (!upstream.client.hasKey) {
    log.warn('no CustomGPT.ai key: set CUSTOMGPT_API_KEY (tools will answer with an error)');
  }
  log.info('MCP server on stdio', { mode: config.upstreamMode, project: project ?? null });
  await stopped;
  await stop();
}
