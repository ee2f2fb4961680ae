// Why a bridge process ended before printing its ready line, in words a user can act on.
// The bridge exits with code 3 when its port is taken; other programs say EADDRINUSE.
import { parseBridgeLogLine } from './bridgeLogLine';

export const PORT_IN_USE_EXIT_CODE = 3;

export type StartFailure =
  | { kind: 'port-in-use'; message: string }
  | { kind: 'failed'; message: string };

const PORT_IN_USE = /EADDRINUSE|port\s+\d*\s*(is\s+)?(already\s+)?in\s+use/i;

export function portInUseMessage(port: number): string {
  return (
    `Port ${port} is already in use by another program. ` +
    'Change the setting "customgpt.port" to a free port, or stop the program that uses it.'
  );
}

export function classifyStartFailure(input: {
  port: number;
  exitCode: number | null;
  signal: string | null;
  stderrLines: readonly string[];
}): StartFailure {
  const portInUse =
    input.exitCode === PORT_IN_USE_EXIT_CODE ||
    input.stderrLines.some((line) => PORT_IN_USE.test(line));
  if (portInUse) return { kind: 'port-in-use', message: portInUseMessage(input.port) };
  const lastError = [...input.stderrLines]
    .reverse()
    .map(parseBridgeLogLine)
    .find((record) => record.level === 'error');
  const how =
    input.signal !== null
      ? `was stopped by ${input.signal}`
      : `exited with code ${input.exitCode ?? 'unknown'}`;
  const reason = lastError ? `: ${lastError.text}` : '';
  return { kind: 'failed', message: `The bridge ${how} before it was ready${reason}` };
}
