// The bridge announces that it listens with one JSON line on stdout. Parsing it strictly means a
// stray print (or a different program) is reported instead of being mistaken for a bridge.
import type { BridgeMode, ReadyLine } from '../../bridge/protocol';
import { isRecord } from '../../shared/isRecord';

export type ReadyLineResult = { ok: true; ready: ReadyLine } | { ok: false; reason: string };

const MODES: readonly BridgeMode[] = ['native', 'compat', 'demo'];

export function parseReadyLine(line: string): ReadyLineResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'the first line is not JSON' };
  }
  if (!isRecord(parsed) || parsed.event !== 'ready') {
    return { ok: false, reason: 'the first line is not a ready event' };
  }
  const { url, port, token, mode, project, simulated } = parsed;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    return { ok: false, reason: 'ready line has no valid url' };
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, reason: 'ready line has no valid port' };
  }
  if (typeof token !== 'string' || token.length === 0) {
    return { ok: false, reason: 'ready line has no token' };
  }
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
    return { ok: false, reason: 'ready line has an unknown mode' };
  }
  const projectText =
    typeof project === 'string' ? project : typeof project === 'number' ? String(project) : '';
  const ready: ReadyLine = {
    event: 'ready',
    url,
    port,
    token,
    mode: mode as BridgeMode,
    project: projectText,
  };
  if (simulated === true) ready.simulated = true;
  return { ok: true, ready };
}
