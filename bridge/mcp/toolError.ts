// Upstream and input problems as MCP tool errors: a result with `isError` and a text the agent
// (and the person reading along) can act on, never a JSON-RPC protocol failure. The messages
// are the bridge's own (upstream/errors.ts), with the HTTP-specific advice made MCP-shaped.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { asBridgeError, BridgeError } from '../http/openai-error';

/** A tool-level failure with a message written for the agent. */
export class ToolInputError extends Error {}

export function toolError(err: unknown, redact: (text: string) => string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: redact(errorText(err)) }] };
}

export function errorText(err: unknown): string {
  if (err instanceof ToolInputError) return err.message;
  const e = err instanceof BridgeError ? err : asBridgeError(err);
  if (e.code === 'session_not_found') {
    return (
      'CustomGPT.ai has no such conversation in this project (it may have been deleted or ' +
      'belong to another project). Call ask_project again without conversation_id to start a new one.'
    );
  }
  return e.code ? `${e.message} [${e.code}]` : e.message;
}
