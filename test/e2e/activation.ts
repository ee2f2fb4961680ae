// What the run's logs say: how long the extension took to activate (the extension host logs
// when it starts activating an extension; the extension logs "Activated in N ms" when its
// activate() returns), and whether a secret ever reached a log file.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { E2eSession } from './session';

const EXTENSION_ID = 'customgpt-bridge.customgpt-bridge';
const TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/;

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function timeOf(line: string | undefined): number | undefined {
  const match = line ? TIMESTAMP.exec(line) : null;
  return match ? Date.parse(`${match[1]}T${match[2]}`) : undefined;
}

/** One line per extension host (= per window): when activation began and how long it took. */
export function activationReport(userDataDir: string): string[] {
  const logsDir = path.join(userDataDir, 'logs');
  const hostLogs = filesUnder(logsDir).filter(
    (file) => path.basename(file) === 'remoteexthost.log',
  );
  return hostLogs.map((hostLog) => {
    const begun = readFileSync(hostLog, 'utf8')
      .split('\n')
      .find((line) => line.includes(`_doActivateExtension ${EXTENSION_ID}`));
    const ownLogs = filesUnder(path.join(path.dirname(hostLog), EXTENSION_ID));
    const activated = ownLogs
      .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
      .find((line) => /Activated in/.test(line));
    const begunAt = timeOf(begun);
    const activatedAt = timeOf(activated);
    const host = path.relative(logsDir, path.dirname(hostLog));
    if (begunAt === undefined) return `${host}: the extension was not activated`;
    const event = /activationEvent: '([^']+)'/.exec(begun ?? '')?.[1] ?? '?';
    const total = activatedAt === undefined ? 'no "Activated" line' : `${activatedAt - begunAt} ms`;
    const own = /Activated in (\d+ ms)/.exec(activated ?? '')?.[1] ?? '?';
    return `${host}: ${event}; host started activating -> extension logged "Activated": ${total} (activate() itself: ${own})`;
  });
}

export async function reportActivation(session: E2eSession): Promise<void> {
  if (!session.paths) return;
  const lines = activationReport(session.paths.userDataDir);
  const report = lines.length ? lines.join('\n') : '(no extension host logs found)';
  writeFileSync(path.join(session.artifactsDir, 'activation.txt'), `${report}\n`);
  console.log(`\n  extension activation:\n    ${report.replace(/\n/g, '\n    ')}\n`);
}

/** Log files under the user-data dir that contain any of the secrets (empty ones ignored). */
export function filesContaining(userDataDir: string, secrets: string[]): string[] {
  const wanted = secrets.filter((secret) => secret.length >= 8);
  return filesUnder(path.join(userDataDir, 'logs')).filter((file) => {
    const text = readFileSync(file, 'utf8');
    return wanted.some((secret) => text.includes(secret));
  });
}
