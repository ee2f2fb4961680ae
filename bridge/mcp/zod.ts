// The zod builders the MCP tools use, and only these: dist/mcp-sdk.js exports this object
// (sdk-chunk.ts), so the chunk keeps what the tools need and leaves the rest of zod (its locales,
// JSON Schema import, ...) out. A tool that needs another builder adds it here.
import { array, boolean, enum as enumOf, number, object, string } from 'zod/v4';

export const z = { array, boolean, enum: enumOf, number, object, string };
