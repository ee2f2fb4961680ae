// Where the bench finds the programs it measures and keeps what it installs or writes.
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const DIST = join(ROOT, 'dist');
export const BRIDGE_JS = join(DIST, 'bridge.js');
/** What BRIDGE_JS (the launcher) loads at every start, and the MCP chunk it loads on first use. */
export const BRIDGE_MAIN_JS = join(DIST, 'bridge-main.js');
export const MCP_SDK_JS = join(DIST, 'mcp-sdk.js');
export const SIMULATOR_JS = join(DIST, 'simulator.js');
/** Git-ignored: the pinned peer install, the bench's own bundles, CPU profiles. */
export const CACHE = join(ROOT, '.cache', 'bench');
export const BENCH_DIST = join(CACHE, 'dist');
export const PASSTHROUGH_JS = join(BENCH_DIST, 'passthrough.js');
export const LOADGEN_JS = join(BENCH_DIST, 'loadgen.js');
export const RESULTS = join(ROOT, 'bench', 'results');
