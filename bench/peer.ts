// The peer under comparison, @portkey-ai/gateway 1.15.2, installed pinned into the git-ignored
// cache (never into the project's dependencies); a warm run finds it there and skips npm.
//
// Pinning: the package pins nothing below it, so its dependencies are resolved as of its
// release day (npm --before), which is what a user installing it then got.
//
// One patch, applied and checked here: on Node, 1.15.2 answers every *streaming* chat request
// with `{"status":"failure"}` and logs "TypeError: immutable" (Portkey-AI/gateway issues #1389
// and #1550: it appends headers to a fetch Response whose headers are immutable). The patch is
// the fix proposed in PR #1551: re-wrap a mapped streaming response before adding headers. It
// copies a few headers once per request and leaves the per-chunk path untouched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE } from './paths';

export const PEER_PACKAGE = '@portkey-ai/gateway';
export const PEER_VERSION = '1.15.2';
const RELEASED_BEFORE = '2026-08-24';
const DIR = join(CACHE, 'peer');
export const PEER_SERVER_JS = join(DIR, 'node_modules', PEER_PACKAGE, 'build', 'start-server.js');
const MARKER = join(DIR, 'bench-ready.json');

const UNPATCHED = 'this.updateHeaders(i,n.cacheStatus,o),{response:i';
const PATCHED =
  'r&&this.context.isStreaming&&(i=new Response(i.body,{status:i.status,' +
  'statusText:i.statusText,headers:new Headers(i.headers)})),' +
  UNPATCHED;

export interface PeerInstall {
  version: string;
  /** Versions of the packages the patch and the server depend on. */
  honoNodeServer: string;
  hono: string;
  patched: boolean;
  installedNow: boolean;
}

function versionOf(pkg: string): string {
  const file = join(DIR, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function ensurePeer(log: (s: string) => void): PeerInstall {
  let installedNow = false;
  const wanted = `${PEER_VERSION}+streaming-patch`;
  const marker = existsSync(MARKER) ? readFileSync(MARKER, 'utf8').trim() : '';
  if (marker !== wanted || !existsSync(PEER_SERVER_JS)) {
    log(`installing ${PEER_PACKAGE}@${PEER_VERSION} into ${DIR} (once; later runs reuse it)`);
    mkdirSync(DIR, { recursive: true });
    const r = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        DIR,
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--before',
        RELEASED_BEFORE,
        `${PEER_PACKAGE}@${PEER_VERSION}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 300_000 },
    );
    if (r.status !== 0) throw new Error(`npm install of the peer failed: ${r.stderr ?? r.error}`);
    const code = readFileSync(PEER_SERVER_JS, 'utf8');
    if (!code.includes(PATCHED)) {
      if (code.split(UNPATCHED).length !== 2) {
        throw new Error('the peer streaming patch no longer matches start-server.js exactly once');
      }
      writeFileSync(PEER_SERVER_JS, code.replace(UNPATCHED, PATCHED));
    }
    writeFileSync(MARKER, `${wanted}\n`);
    installedNow = true;
  }
  return {
    version: versionOf(PEER_PACKAGE),
    honoNodeServer: versionOf('@hono/node-server'),
    hono: versionOf('hono'),
    patched: readFileSync(PEER_SERVER_JS, 'utf8').includes(PATCHED),
    installedNow,
  };
}
