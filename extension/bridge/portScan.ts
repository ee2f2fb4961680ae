// Which port a window uses: every candidate of a small range is probed (bridgeProbe.ts); our
// bridge anywhere in the range is shared (another window may have fallen back already), else the
// first free port is used. A port held by anything that cannot prove it holds our token is
// skipped, so a busy 8765 is never the user's problem.

import type { Logger } from '../core/logger';
import { type ProbeResult, probeBridge } from './bridgeProbe';

/** How many ports, from the configured one up, a window tries before giving up. */
export const PORT_RANGE = 10;

export interface PortPlan {
  /** The configured port. */
  port: number;
  /** A fallback port used before on this machine (tried first, so copied settings keep working). */
  rememberedPort?: number | undefined;
  token: string;
}

export interface ScanResult {
  ours?: Extract<ProbeResult, { kind: 'ours' }>;
  free?: number;
  /** Something before the first free port answered like a bridge but failed the proof. */
  unproven: boolean;
}

/** Pure: the ports to probe, remembered fallback first, then the configured one and up. */
export function portCandidates(plan: Pick<PortPlan, 'port' | 'rememberedPort'>): number[] {
  const ports: number[] = [];
  if (plan.rememberedPort) ports.push(plan.rememberedPort);
  for (let i = 0; i < PORT_RANGE && plan.port + i <= 65535; i++) ports.push(plan.port + i);
  return [...new Set(ports)];
}

/** Pure: `args` with its `--port` value set to `port`. */
export function argsWithPort(args: readonly string[], port: number): string[] {
  const out = [...args];
  const at = out.indexOf('--port');
  if (at >= 0 && at + 1 < out.length) out[at + 1] = String(port);
  else out.push('--port', String(port));
  return out;
}

/**
 * Probes the candidates in order. `unbindable` ports (nothing answers there, yet the bridge could
 * not listen on them) are not offered as free. What holds the ports before the first free one
 * is logged: it explains the fallback.
 */
export async function scanPorts(
  plan: PortPlan,
  unbindable: ReadonlySet<number>,
  log: Logger,
): Promise<ScanResult> {
  let free: number | undefined;
  let unproven = false;
  for (const port of portCandidates(plan)) {
    const probe = await probeBridge(port, plan.token);
    if (probe.kind === 'ours') return { ours: probe, unproven };
    if (probe.kind === 'free') {
      if (!unbindable.has(port)) free ??= port;
      continue;
    }
    if (free !== undefined) continue;
    if (probe.kind === 'unproven-bridge') unproven = true;
    log.warn(
      probe.kind === 'unproven-bridge'
        ? `Port ${port} answers like a bridge but could not prove it holds this window's token (${probe.detail}): not using it.`
        : `Port ${port} is held by a program that is not a CustomGPT bridge (${probe.detail}).`,
    );
  }
  return free === undefined ? { unproven } : { free, unproven };
}
