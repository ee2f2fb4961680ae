// Shared set-up for the bridge's socket-level tests: a CustomGPT.ai simulator and a bridge in
// front of it, both on 127.0.0.1 with ephemeral ports, plus the official `openai` SDK as client.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startBridge } from '../../bridge/app.js';
import { startSimulator } from '../../bridge/simulator/index.js';
import { isRecord } from '../hardening/support/wellformed.js';

export type BridgeOptions = Parameters<typeof startBridge>[0];
export type RunningBridge = Awaited<ReturnType<typeof startBridge>>;
export type SimulatorOptions = NonNullable<Parameters<typeof startSimulator>[0]>;
export type Simulator = Awaited<ReturnType<typeof startSimulator>>;
export type Fault = Parameters<Simulator['injectFault']>[0];
export type UpstreamRequest = Simulator['requests'][number];

/** The simulator's demo project (1001), whose settings.chatbot_model is 'gpt-4-o'. */
export const PROJECT_ID = '1001';
export const PROJECT_MODEL = 'gpt-4-o';
/** A distinctive upstream key, so a leak is easy to spot in any body, header or log. */
export const UPSTREAM_KEY = 'sk-upstream-secret-7c1e9a';
/** A prompt the simulator answers from its "Acme Rocket" docs, with citations. */
export const CITED_PROMPT = 'How do I install Acme Rocket?';

export interface Stack {
  sim: Simulator;
  bridge: RunningBridge;
  /** An SDK client pointed at the bridge (`/v1`), with the bridge's token. */
  client(opts?: ClientOptions): OpenAI;
  close(): Promise<void>;
}

export interface ClientOptions {
  baseURL?: string;
  apiKey?: string;
  maxRetries?: number;
  fetch?: typeof fetch;
}

export interface StackOptions {
  sim?: SimulatorOptions;
  /** Overrides of the bridge defaults; an explicit `apiKey: undefined` means "no key configured". */
  bridge?: Partial<BridgeOptions>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const sim = await startSimulator({ apiKey: UPSTREAM_KEY, ...opts.sim });
  const overrides = opts.bridge ?? {};
  let bridge: RunningBridge;
  try {
    bridge = await startBridge({
      port: 0,
      host: '127.0.0.1',
      project: PROJECT_ID,
      upstream: sim.url,
      apiKey: sim.apiKey,
      log: 'silent',
      ...overrides,
    });
  } catch (err) {
    await sim.close();
    throw err;
  }
  // The start-up requests (key check, model lookup, spare conversation) are done before a
  // test counts upstream requests or injects a fault.
  await bridge.warmedUp;
  return {
    sim,
    bridge,
    client: (c = {}) => sdkClient(bridge, c),
    close: async () => {
      await bridge.close();
      await sim.close();
    },
  };
}

/** Runs `body` against a fresh stack and always closes it. */
export async function withStack<T>(opts: StackOptions, body: (s: Stack) => Promise<T>): Promise<T> {
  const stack = await startStack(opts);
  try {
    return await body(stack);
  } finally {
    await stack.close();
  }
}

export function sdkClient(bridge: { url: string; token: string }, c: ClientOptions = {}): OpenAI {
  return new OpenAI({
    apiKey: c.apiKey ?? bridge.token,
    baseURL: c.baseURL ?? bridge.url,
    maxRetries: c.maxRetries ?? 2,
    ...(c.fetch ? { fetch: c.fetch } : {}),
  });
}

/** A `fetch` that counts the HTTP requests the SDK makes (retries included). */
export function countingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const counted: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    return fetch(input, init);
  };
  return { fetch: counted, calls };
}

/** POSTs `body` (JSON-encoded unless already a string) with the bridge's token unless overridden. */
export function postRaw(
  origin: string,
  path: string,
  body: unknown,
  opts: { token?: string | null; headers?: Record<string, string>; method?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return fetch(`${origin}${path}`, {
    method: opts.method ?? 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | number | null };
}

/** Asserts `{"error":{"message","type","param","code"}}` and returns it typed. */
export function assertOpenAIError(body: unknown): OpenAIErrorBody {
  assert.ok(isRecord(body), `error body is an object: ${JSON.stringify(body)}`);
  const error = body.error;
  assert.ok(isRecord(error), `body has an 'error' object: ${JSON.stringify(body)}`);
  assert.equal(typeof error.message, 'string', 'error.message is a string');
  assert.ok((error.message as string).length > 0, 'error.message is not empty');
  assert.equal(typeof error.type, 'string', 'error.type is a string');
  assert.ok('param' in error, 'error.param is present');
  assert.ok('code' in error, 'error.code is present');
  return body as unknown as OpenAIErrorBody;
}

/** Reads a response as text and parses it as an OpenAI error body. */
export async function readOpenAIError(
  res: Response,
): Promise<{ text: string; body: OpenAIErrorBody }> {
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    assert.fail(`error response (${res.status}) is not JSON: ${text.slice(0, 300)}`);
  }
  return { text, body: assertOpenAIError(parsed) };
}

export { isRecord };

/** The upstream's requests made after index `since` (take `sim.requests.length` before acting). */
export function requestsSince(sim: Simulator, since: number): UpstreamRequest[] {
  return sim.requests.slice(since);
}

export const isConversationCreate = (r: UpstreamRequest) =>
  r.method === 'POST' && /\/api\/v1\/projects\/[^/]+\/conversations$/.test(r.path);
export const isMessageSend = (r: UpstreamRequest) =>
  r.method === 'POST' && /\/api\/v1\/projects\/[^/]+\/conversations\/[^/]+\/messages$/.test(r.path);
export const isCompatCall = (r: UpstreamRequest) =>
  r.method === 'POST' && /\/api\/v1\/projects\/[^/]+\/chat\/completions$/.test(r.path);
/** A request that asks the upstream for an answer (native message or compat completion). */
export const isAnswerCall = (r: UpstreamRequest) => isMessageSend(r) || isCompatCall(r);

/** A string field of an upstream request's JSON body. */
export function bodyString(r: UpstreamRequest, field: string): string | undefined {
  const body: unknown = r.body;
  const parsed: unknown = typeof body === 'string' ? safeJson(body) : body;
  if (!isRecord(parsed)) return undefined;
  const v = parsed[field];
  return typeof v === 'string' ? v : undefined;
}

/** The JSON text of an upstream request's body, for "does X leak upstream" checks. */
export function bodyText(r: UpstreamRequest): string {
  return typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? null);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface CitationRecord {
  id: number | string;
  title: string | null;
  url: string | null;
}

/** Reads a citation straight from the simulator (adds one entry to `sim.requests`). */
export async function fetchCitation(sim: Simulator, project: string, id: number | string) {
  const res = await fetch(`${sim.url}/api/v1/projects/${project}/citations/${id}`, {
    headers: { authorization: `Bearer ${sim.apiKey}` },
  });
  assert.equal(res.status, 200, `simulator serves citation ${id}`);
  const json: unknown = await res.json();
  assert.ok(isRecord(json) && isRecord(json.data), 'citation envelope has data');
  const data = json.data;
  return {
    id: data.id as number | string,
    title: (data.title ?? null) as string | null,
    url: (data.url ?? null) as string | null,
  } satisfies CitationRecord;
}

/** Polls `check` until it holds (bounded by the test's own mocha timeout, with a cap). */
export async function waitFor(check: () => boolean, what: string, capMs = 8000): Promise<void> {
  const until = Date.now() + capMs;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export { closedPort } from '../support/ports';
