// Bundles the three programs this project ships:
//   dist/bridge.js     the localhost bridge CLI (runs standalone and under the extension)
//   dist/simulator.js  the CustomGPT.ai simulator CLI (benchmarks, e2e tests)
//   dist/extension.js  the VS Code extension (`vscode` stays external)
// Flags: --watch, --minify=false (keep names readable while profiling).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, context } from 'esbuild';

const watch = process.argv.includes('--watch');
const minify = !process.argv.includes('--minify=false');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify,
  legalComments: 'none',
  logLevel: 'warning',
  // ws tries these optional native add-ons inside try/catch; we never ship them.
  external: ['bufferutil', 'utf-8-validate'],
  // undici ships two HTTP/1 parsers (llhttp and the experimental Milo, each as SIMD and plain
  // WebAssembly). Node's own build defines `esbuildDetection` to keep only llhttp; so do we,
  // which halves the bridge bundle.
  define: { esbuildDetection: 'true' },
};

// The MCP SDK's Server imports an Ajv validator that only checks elicitation answers, which the
// bridge never asks for: swap in a stub (bridge/mcp/noSchemaValidator.ts), saving ~130 KB.
const noAjv = {
  name: 'mcp-no-ajv',
  setup(b) {
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes('@modelcontextprotocol')
        ? { path: path.resolve('bridge/mcp/noSchemaValidator.ts') }
        : undefined,
    );
  },
};

const targets = [
  { ...common, entryPoints: ['bridge/main.ts'], outfile: 'dist/bridge.js', plugins: [noAjv] },
  { ...common, entryPoints: ['bridge/simulator/cli.ts'], outfile: 'dist/simulator.js' },
  // The tokenizer for usage estimates, loaded by dist/bridge.js on first use (see usage.ts).
  // Its encoding is data (dist/cl100k_base.txt, below), read asynchronously: the package it comes
  // from stays out of the bundle.
  {
    ...common,
    entryPoints: ['bridge/chat/tokenizer.ts'],
    outfile: 'dist/tokenizer.js',
    sourcemap: false,
    external: [...common.external, 'js-tiktoken/ranks/cl100k_base'],
  },
  {
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    external: [...common.external, 'vscode'],
  },
];

// dist/cl100k_base.txt: the pre-token pattern on the first line, then tiktoken's compressed ranks
// (see bridge/chat/tokenizer.ts).
const cl100k = createRequire(import.meta.url)('js-tiktoken/ranks/cl100k_base');
if (cl100k.pat_str.includes('\n')) throw new Error('cl100k_base pattern spans lines');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/cl100k_base.txt', `${cl100k.pat_str}\n${cl100k.bpe_ranks}`);

if (watch) {
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
}
