// Bundles the @vscode/test-cli suite (test/vscode/*.test.ts) into dist/test/vscode/*.test.js,
// with `vscode` left to the extension host and mocha's globals provided by the runner.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const entryPoints = readdirSync(here)
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => join(here, name));

await build({
  entryPoints,
  outdir: join(here, '..', '..', 'dist', 'test', 'vscode'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', 'bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
});
