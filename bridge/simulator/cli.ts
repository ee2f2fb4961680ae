// dist/simulator.js: runs the simulator as its own process (benchmarks, end-to-end tests).
// Prints one ready line on stdout, then serves until SIGTERM or SIGINT, and exits 0.
// The API key is never printed: whoever starts the process chose it.
import { readFileSync } from 'node:fs';
import { parseCliArgs, USAGE } from './args';
import { startSimulator } from './server';

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2), process.env, (f) => readFileSync(f, 'utf8'));
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ('error' in args) {
    process.stderr.write(`simulator: ${args.error}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const sim = await startSimulator(args.options);
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: sim.url, port: sim.port })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
