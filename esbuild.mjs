// Bundles the three programs this project ships:
//   dist/bridge.js     the localhost bridge CLI (runs standalone and under the extension): a
//                      tiny launcher (bridge/launcher.ts) that sets the V8 flags, then loads
//   dist/bridge-main.js  the bridge itself, and on first MCP use
//   dist/mcp-sdk.js    the MCP SDK and zod (bridge/mcp/sdk-chunk.ts)
//   dist/simulator.js  the CustomGPT.ai simulator CLI (benchmarks, e2e tests)
//   dist/extension.js  the VS Code extension (`vscode` stays external)
// Flags: --watch, --minify=false (keep names readable while profiling).
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

// In dist/bridge-main.js, each import of the MCP SDK or zod becomes a property of
// dist/mcp-sdk.js, required when the importing module first runs (lazy.ts), so neither package is
// read or compiled at start. An import not in this list fails the build rather than sneak a
// second copy of a package into the bridge.
const MCP_SDK_CHUNK = {
  '@modelcontextprotocol/sdk/server/mcp.js': 'mcp',
  '@modelcontextprotocol/sdk/server/stdio.js': 'stdio',
  '@modelcontextprotocol/sdk/server/streamableHttp.js': 'streamableHttp',
  'zod/v4': 'zod',
};
const mcpSdkChunk = {
  name: 'mcp-sdk-chunk',
  setup(b) {
    b.onResolve({ filter: /^(@modelcontextprotocol\/|zod($|\/))/ }, (args) => {
      if (!(args.path in MCP_SDK_CHUNK)) {
        return {
          errors: [{ text: `${args.path}: add it to bridge/mcp/sdk-chunk.ts and esbuild.mjs` }],
        };
      }
      return { path: args.path, namespace: 'mcp-sdk-chunk' };
    });
    b.onLoad({ filter: /.*/, namespace: 'mcp-sdk-chunk' }, (args) => ({
      contents: `module.exports = require('./mcp-sdk.js').${MCP_SDK_CHUNK[args.path]};`,
      loader: 'js',
    }));
  },
};

// undici's client.js requires its HTTP/2 client at load, and that requires node:http2, which
// brings tls, fs/promises, fs watchers and readline with it: about 10 MB of RSS for a process that
// never speaks HTTP/2 (an http: upstream, demo mode, the bench's simulator). undici calls it only
// for a connection that is to speak h2 (for the bridge: a TLS connection whose ALPN chose h2; it
// never asks for cleartext h2c), so its H2 client is loaded on the first such connection instead.
// If undici's line changes, the build fails here rather than go eager again.
const UNDICI_EAGER_H2 = "const connectH2 = require('./client-h2.js')";
const undiciLazyH2 = {
  name: 'undici-lazy-h2',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (source.split(UNDICI_EAGER_H2).length !== 2) {
        return { errors: [{ text: `${args.path}: "${UNDICI_EAGER_H2}" not found once` }] };
      }
      // Whatever undici passes (client, socket today) goes through unchanged.
      const lazy =
        'let loadedConnectH2; const connectH2 = (...args) => ' +
        "(loadedConnectH2 ??= require('./client-h2.js'))(...args)";
      return { contents: source.replace(UNDICI_EAGER_H2, lazy), loader: 'js' };
    });
  },
};

const targets = [
  {
    ...common,
    entryPoints: ['bridge/launcher.ts'],
    outfile: 'dist/bridge.js',
    sourcemap: false,
    external: [...common.external, './bridge-main.js'],
  },
  {
    ...common,
    entryPoints: ['bridge/main.ts'],
    outfile: 'dist/bridge-main.js',
    external: [...common.external, './mcp-sdk.js'],
    plugins: [mcpSdkChunk, undiciLazyH2],
  },
  {
    ...common,
    entryPoints: ['bridge/mcp/sdk-chunk.ts'],
    outfile: 'dist/mcp-sdk.js',
    plugins: [noAjv],
  },
  { ...common, entryPoints: ['bridge/simulator/cli.ts'], outfile: 'dist/simulator.js' },
  // The tokenizer for usage estimates, loaded by dist/bridge-main.js on first use (see usage.ts).
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
