// The MCP Inspector CLI (a third-party MCP client), installed pinned into the git-ignored
// .cache/ on first use (about 20 s and 110 MB from the npm registry), never into package.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './bridge-cli';

export const INSPECTOR_VERSION = '2.12.0';
const DIR = path.join(REPO_ROOT, '.cache', `mcp-inspector-${INSPECTOR_VERSION}`);
const BIN = path.join(DIR, 'node_modules', '.bin', 'mcp-inspector');
const INSTALL_TIMEOUT_MS = 180_000;

/** Installs the Inspector once; `.complete` is written last, so a broken install is redone. */
export function ensureInspector(): string {
  if (existsSync(path.join(DIR, '.complete'))) return BIN;
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, 'package.json'), '{"name":"mcp-inspector-tool","private":true}\n');
  // Under `npm test` the outer npm's user agent would be inherited as config: drop it.
  const env = { ...process.env };
  delete env.npm_config_user_agent;
  const r = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      DIR,
      '--no-audit',
      '--no-fund',
      `@modelcontextprotocol/inspector@${INSPECTOR_VERSION}`,
    ],
    // A registry that stops answering (seen once: a proxy's CA missing from the environment)
    // would otherwise hang the whole test run; an install takes about 20 s.
    { encoding: 'utf8', env, timeout: INSTALL_TIMEOUT_MS, killSignal: 'SIGKILL' },
  );
  if (r.status !== 0) {
    const why = r.error
      ? `${r.error.message} (limit ${INSTALL_TIMEOUT_MS / 1000} s)`
      : `exit ${r.status}`;
    throw new Error(`installing the MCP Inspector failed: ${why}\n${r.stdout}\n${r.stderr}`);
  }
  writeFileSync(path.join(DIR, '.complete'), '');
  return BIN;
}

/** Runs `mcp-inspector --cli ...args`; resolves with its exit code and output. */
export function runInspector(
  args: string[],
  home: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Its catalog and settings go to a throw-away HOME, not the user's.
    const child = spawn(BIN, ['--cli', ...args], {
      env: { ...process.env, HOME: home, MCP_CATALOG_PATH: path.join(home, 'mcp.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
