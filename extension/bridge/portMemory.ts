// Which port this machine's bridge uses when the configured one is held by another program, and
// whether the tools a person set up still point at it. Pure: ctx.ts keeps the records in
// globalState (per machine), portNotice.ts tells the person.
import { PORT_RANGE } from './portScan';

/** The fallback in use: the configured port it replaces, and the port the bridge runs on. */
export interface PortFallback {
  configured: number;
  port: number;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The remembered fallback for this configured port, if any (a changed setting voids it). */
export function rememberedPortFor(record: unknown, configured: number): number | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const { configured: was, port } = record as Partial<PortFallback>;
  return was === configured && isPort(port) && port !== configured ? port : undefined;
}

/** What to remember once the bridge runs on `port`: undefined once it is back on `configured`. */
export function fallbackRecord(configured: number, port: number): PortFallback | undefined {
  return port === configured ? undefined : { configured, port };
}

/**
 * The warning for a person whose copied tool settings point at another port of the fallback
 * range than the bridge's, or undefined when there is nothing to say (nothing copied, the same
 * port, or a port outside the range: the person changed the setting on purpose).
 */
export function portMoveNotice(
  copiedPort: unknown,
  runningPort: number,
  configuredPort: number,
): string | undefined {
  if (!isPort(copiedPort) || copiedPort === runningPort) return undefined;
  if (copiedPort < configuredPort || copiedPort >= configuredPort + PORT_RANGE) return undefined;
  return (
    `CustomGPT: the bridge now runs on port ${runningPort} (port ${copiedPort} is taken by ` +
    `another program). Tools you set up with copied settings still use port ${copiedPort}: ` +
    'copy their settings again.'
  );
}
