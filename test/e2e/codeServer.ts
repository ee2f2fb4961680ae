// One isolated code-server for the suite: its own user-data, extensions and XDG folders under a
// temp dir (so nothing touches ~/.config), the VSIX installed offline, settings pointing the
// extension at the simulator, bound to loopback with no auth.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, type Started, startGroup, stopGroup, waitForLine } from './processes';

const run = promisify(execFile);

export interface CodeServerPaths {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspaceDir: string;
  logsDir: string;
}

export interface CodeServer {
  paths: CodeServerPaths;
  url: string;
  process: Started;
  stop(): Promise<void>;
}

/** The program in the tool cache (its bin is a `#!/usr/bin/env node` script: run it with ours). */
function entryScript(toolsDir: string): string {
  return path.join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function isolatedPaths(root: string): CodeServerPaths {
  const paths = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    workspaceDir: path.join(root, 'workspace'),
    logsDir: path.join(root, 'logs'),
  };
  for (const dir of Object.values(paths)) mkdirSync(dir, { recursive: true });
  return paths;
}

/** XDG_* under the temp dir: without them code-server writes ~/.config/code-server/config.yaml. */
export function isolatedEnv(root: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
  };
}

export function writeUserSettings(paths: CodeServerPaths, settings: Record<string, unknown>): void {
  const dir = path.join(paths.userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

export async function installVsix(
  toolsDir: string,
  paths: CodeServerPaths,
  vsix: string,
): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    [
      entryScript(toolsDir),
      '--user-data-dir',
      paths.userDataDir,
      '--extensions-dir',
      paths.extensionsDir,
      '--install-extension',
      vsix,
    ],
    { env: isolatedEnv(paths.root), timeout: 120_000 },
  );
  return `${stdout}${stderr}`;
}

export async function startCodeServer(
  toolsDir: string,
  paths: CodeServerPaths,
): Promise<CodeServer> {
  const port = await freePort();
  const started = startGroup({
    command: process.execPath,
    args: [
      entryScript(toolsDir),
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      paths.userDataDir,
      '--extensions-dir',
      paths.extensionsDir,
      // VS Code keeps a disconnected window's extension host for 3 hours by default; a closed
      // tab must end its extension host soon so another window can take over the bridge.
      '--reconnection-grace-time',
      '5',
      paths.workspaceDir,
    ],
    env: isolatedEnv(paths.root),
    logFile: path.join(paths.logsDir, 'code-server.log'),
  });
  await waitForLine(
    started,
    (line) => (line.includes('HTTP server listening on') ? true : undefined),
    60_000,
    'code-server',
  );
  return {
    paths,
    url: `http://127.0.0.1:${port}`,
    process: started,
    stop: () => stopGroup(started),
  };
}
