// Stands in for the MCP SDK's Ajv-based JSON Schema validator in dist/bridge.js (esbuild.mjs
// swaps it in). The SDK's Server only uses that validator to check a client's answers to
// elicitation requests, which this server never sends; Ajv and its formats would add about
// 130 KB to the bundle for nothing. Tool inputs and outputs are validated by zod, not by this.
export class AjvJsonSchemaValidator {
  getValidator(): never {
    throw new Error(
      'JSON Schema validation is not available in the bridge (it sends no elicitation requests).',
    );
  }
}
