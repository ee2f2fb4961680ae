// The real Continue CLI (@continuedev/cli), pinned, installed on first use into the git-ignored
// .cache/ (like scripts/e2e.sh installs code-server): never a package.json dependency.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './bridge-cli';

export const CONTINUE_CLI_VERSION = '1.5.47';

/**
 * The tools cn 1.5.47 defines (observed on the wire): with all of them excluded it sends
 * `tools: []`, which the bridge treats as no tools.
 */
export const CONTINUE_CLI_TOOLS = [
  'Read',
  'List',
  'Bash',
  'Fetch',
  'Checklist',
  'CheckBackgroundJob',
  'AskQuestion',
  'Exit',
  'Skills',
];

export type ContinueCli = { bin: string } | { skip: string };

/** Installs the CLI once (a `.complete` marker is written last); `skip` says why it cannot. */
export function ensureContinueCli(): ContinueCli {
  const dir = path.join(REPO_ROOT, '.cache', `continue-cli-${CONTINUE_CLI_VERSION}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'cn');
  if (existsSync(path.join(dir, '.complete')) && existsSync(bin)) return { bin };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"name":"continue-cli","private":true}\n');
  const r = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      dir,
      '--no-audit',
      '--no-fund',
      `@continuedev/cli@${CONTINUE_CLI_VERSION}`,
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (r.status !== 0 || !existsSync(bin)) {
    const why = (r.stderr || r.stdout || String(r.error ?? ''))
      .trim()
      .split('\n')
      .slice(-3)
      .join(' ');
    return { skip: `could not install @continuedev/cli@${CONTINUE_CLI_VERSION}: ${why}` };
  }
  writeFileSync(path.join(dir, '.complete'), '');
  return { bin };
}
