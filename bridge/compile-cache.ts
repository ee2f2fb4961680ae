// Node's on-disk compile cache for the bridge: compiling the bridge's bundle is most of its start
// after Node's own boot (a CPU profile of a start: ~40 ms of ~120 in V8's compile), and the
// cached code skips it from the second start on. Node checks each entry against the source's hash
// and its own version, so an upgraded bridge or Node recompiles.
//
// Where: a per-user folder (never the shared temporary folder Node would pick by default: cached
// code is executed, so another local user must not be able to plant it), created 0700 and used
// only if it is a real directory owned by this user that nobody else can write. Turned off by
// Node's own NODE_DISABLE_COMPILE_CACHE=1; a failure of any kind leaves the bridge uncached.
import { lstatSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

type ModuleWithCache = {
  enableCompileCache?: (dir: string) => unknown;
  flushCompileCache?: () => void;
  getCompileCacheDir?: () => string | undefined;
};

/** The per-user folder for the bridge's compile cache, by platform convention. */
export function compileCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
): string {
  let base: string;
  if (platform === 'win32') base = env.LOCALAPPDATA || join(home, 'AppData', 'Local');
  else if (platform === 'darwin') base = join(home, 'Library', 'Caches');
  else base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(base, 'customgpt-bridge', 'compile-cache');
}

/** True when `dir` is a directory of this user that no other user can write to. */
export function isPrivateDir(dir: string): boolean {
  const st = lstatSync(dir);
  if (!st.isDirectory()) return false;
  // No owner or mode bits to check on Windows: the folder is under the user's own profile.
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

export function enableBridgeCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    const mod = require('node:module') as ModuleWithCache;
    if (typeof mod.enableCompileCache !== 'function') return; // Node < 22.1
    const dir = compileCacheDir(env, process.platform, homedir());
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (isPrivateDir(dir)) mod.enableCompileCache(dir);
  } catch {
    // No home, a read-only disk, ...: start uncached.
  }
}

/**
 * Writes what was compiled so far to the cache now, not only at a clean exit: a bridge that is
 * killed (its editor crashed) would otherwise never leave a cache behind. Called once the bridge
 * is ready, off the path to the ready line.
 */
export function flushBridgeCompileCache(): void {
  try {
    const mod = require('node:module') as ModuleWithCache;
    if (mod.getCompileCacheDir?.()) mod.flushCompileCache?.();
  } catch {
    // Not cached this time: the next start compiles again.
  }
}
