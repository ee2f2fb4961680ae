// May this window signal that pid? Only a process it spawned itself (it holds the child handle
// and never needs this), or one that is verifiably our bridge: a real pid (> 1, not ours), run
// by the same user, whose command line is the bridge script serving the port we proved. The
// pid comes from a peer (/bridge/info), so it is checked against the OS, never trusted.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface ProcessFacts {
  uid: number | undefined;
  args: string[];
}

/** Pure: the rules, on facts read from the OS. */
export function isOurBridgeProcess(
  pid: number,
  facts: ProcessFacts | undefined,
  expected: { uid: number | undefined; port: number; script: string; selfPid: number },
): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === expected.selfPid) return false;
  if (!facts) return false;
  if (expected.uid !== undefined && facts.uid !== expected.uid) return false;
  const script = path.basename(expected.script);
  const runsScript = facts.args.some((arg) => path.basename(arg) === script);
  const portAt = facts.args.indexOf('--port');
  const servesPort = portAt >= 0 && facts.args[portAt + 1] === String(expected.port);
  return runsScript && servesPort;
}

/** Linux: /proc/<pid>/status (real uid) and /proc/<pid>/cmdline. */
async function procFacts(pid: number): Promise<ProcessFacts | undefined> {
  try {
    const [status, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    return {
      uid: uid === undefined ? undefined : Number(uid),
      args: cmdline.split('\0').filter(Boolean),
    };
  } catch {
    return undefined;
  }
}

/** Elsewhere (macOS): `ps` reports the uid and the command line (split on spaces: paths with
 * spaces then fail the check, which only means "do not signal"). */
function psFacts(pid: number): Promise<ProcessFacts | undefined> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'uid=', '-o', 'args=', '-p', String(pid)], (error, stdout) => {
      const match = /^\s*(\d+)\s+(.*)$/m.exec(stdout);
      if (error || !match?.[1] || match[2] === undefined) return resolve(undefined);
      resolve({ uid: Number(match[1]), args: match[2].trim().split(/\s+/) });
    });
  });
}

export async function readProcessFacts(pid: number): Promise<ProcessFacts | undefined> {
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  if (process.platform === 'win32') return undefined;
  return process.platform === 'linux' ? procFacts(pid) : psFacts(pid);
}

/** Checks the pid against the OS, then sends SIGTERM. False when it was not ours to signal. */
export async function signalVerifiedBridge(
  pid: number,
  port: number,
  script: string,
): Promise<boolean> {
  const facts = await readProcessFacts(pid);
  const ok = isOurBridgeProcess(pid, facts, {
    uid: process.getuid?.(),
    port,
    script,
    selfPid: process.pid,
  });
  if (!ok) return false;
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
