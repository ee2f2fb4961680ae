// The one structural check every parser of JSON input starts from (bridge, extension, tests).
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
