// Bundles the bench's own programs (the passthrough proxy, the load generator) so they run on
// plain node, like dist/bridge.js: no TypeScript loader inside a process being measured.
import { build } from 'esbuild';
import { LOADGEN_JS, PASSTHROUGH_JS, ROOT } from './paths';

export async function bundleBenchPrograms(): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node22',
    format: 'cjs' as const,
    minify: true,
    logLevel: 'warning' as const,
    absWorkingDir: ROOT,
    // undici's alternative HTTP/1 parser stays out, as in esbuild.mjs for the bridge.
    define: { esbuildDetection: 'true' },
  };
  await Promise.all([
    build({ ...common, entryPoints: ['bench/passthrough.ts'], outfile: PASSTHROUGH_JS }),
    build({ ...common, entryPoints: ['bench/loadgen/worker.ts'], outfile: LOADGEN_JS }),
  ]);
}
