// dist/bridge.js: what `node dist/bridge.js`, `npm start` and the extension run. It is kept tiny on
// purpose: when the bridge must re-execute itself to get its V8 flags (runtime-flags.ts), the
// first image should cost one bare Node start, not a parse of the whole bridge (measured: the
// re-execution of the full bundle doubled the cold start, 68 -> 163 ms). Then it turns on Node's
// compile cache (compile-cache.ts) and loads the bridge itself, dist/bridge-main.js.
import { enableBridgeCompileCache } from './compile-cache';
import { applyRuntimeFlags } from './runtime-flags';

applyRuntimeFlags();
enableBridgeCompileCache();
// External in the bundle (esbuild.mjs): resolved next to this file at run time.
require('./bridge-main.js');
