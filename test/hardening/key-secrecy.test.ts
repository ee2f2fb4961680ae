// The CustomGPT.ai key never shows: not in argv, not in stdout (the ready line), not in stderr
// (logs, at debug level), not in any response or activity event, whatever path a request takes:
// good answers, every local error, every upstream fault, including upstream error bodies and
// stream events that echo the key back.
// Guards: bridge/config.ts (the key only from env CUSTOMGPT_API_KEY, no flag);
// bridge/chat/respond.ts sendError (`body.error.message = redact(body.error.message)`);
// bridge/chat/handler.ts endWithError (`message: redact(err.message)`) and the redacted `error`
// it logs and puts in activity events. bridge/log.ts's own redactor is a second layer behind
// those: every message that reaches the logger here is already redacted, so this black-box
// test cannot fail on the logger alone (its unit test covers it).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { startSimulator } from '../../bridge/simulator/index';
import { type BridgeProcess, cleanEnv, cmdline, ensureBuilt, spawnBridge } from './support/cli';
import { chatBody, httpRequest, jsonHeaders, type RawRequest } from './support/http';
import type { Fault, Simulator } from './support/stack';

describe('hardening: the CustomGPT.ai key never leaks (CLI)', function () {
  this.timeout(60_000);
  const KEY = `sk-leakcheck-${randomBytes(12).toString('hex')}`;
  const FRAGMENT = KEY.slice(-16);
  const echo = (status: number) =>
    JSON.stringify({ status: 'error', data: { code: status, message: `bad key ${KEY}` } });
  let sim: Simulator;
  let bridge: BridgeProcess;
  let port = 0;
  let token = '';
  const transcript: string[] = [];

  before(async () => {
    ensureBuilt();
    sim = await startSimulator({ apiKey: KEY, chunkDelayMs: 2 });
  });
  after(async () => {
    await bridge?.stop();
    await sim.close();
  });

  async function call(r: RawRequest): Promise<number> {
    const res = await httpRequest(port, r).catch((err: Error) => ({
      status: 0,
      headers: {},
      text: `transport error: ${err.message}`,
    }));
    transcript.push(
      `${r.method ?? 'GET'} ${r.path} -> ${res.status} ${JSON.stringify(res.headers)}\n${res.text}`,
    );
    return res.status;
  }
  const chat = (stream: boolean, extra: Partial<RawRequest> = {}) =>
    call({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: jsonHeaders(token),
      body: JSON.stringify(chatBody(stream)),
      ...extra,
    });

  it('the key is never a command-line argument and --api-key is refused', async () => {
    bridge = spawnBridge(
      ['--port', '0', '--project', '1001', '--upstream', sim.url, '--log', 'debug'],
      cleanEnv({ CUSTOMGPT_API_KEY: KEY }),
    );
    const ready = await bridge.ready;
    port = ready.port;
    token = ready.token;
    assert.ok(!cmdline(bridge.pid).some((a) => a.includes(FRAGMENT)), '/proc/PID/cmdline');
    const refused = spawnBridge(['--port', '0', '--api-key', 'sk-flag-value-123456'], cleanEnv());
    const { code } = await refused.exited;
    assert.notEqual(code, 0, 'a --api-key flag is an error, not a way in');
    assert.ok(!refused.stderr().includes('sk-flag-value-123456'), 'and its value is not echoed');
  });

  it('drives every path; no response, event, log line or ready line contains the key', async () => {
    const events: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge/activity`, {
      headers: { authorization: `Bearer ${token}` },
    });
    ws.on('message', (d: WebSocket.RawData) => events.push(d.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });

    // Good paths.
    assert.equal(await chat(false), 200);
    assert.equal(await chat(true), 200);
    for (const path of [
      '/v1/models',
      '/bridge/info',
      '/bridge/projects?page=1',
      '/bridge/health',
    ]) {
      assert.equal(await call({ path, headers: { authorization: `Bearer ${token}` } }), 200, path);
    }
    // Every local error.
    await call({ path: '/bridge/projects?page=x', headers: { authorization: `Bearer ${token}` } });
    await chat(false, { headers: { 'content-type': 'application/json' } });
    await chat(false, { headers: jsonHeaders('wrong-token-wrong-token') });
    await chat(false, { headers: jsonHeaders(token, { host: 'evil.example' }) });
    await chat(false, { headers: jsonHeaders(token, { origin: 'https://evil.example' }) });
    await chat(false, { path: '/v1/embeddings' });
    await chat(false, { headers: jsonHeaders(token, { 'content-type': 'text/plain' }) });
    await chat(false, { body: 'x'.repeat(5 * 1024 * 1024) });
    await chat(false, { body: '{"messages": [' });
    await chat(false, { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    await chat(false, {
      body: JSON.stringify({ ...chatBody(false), tools: [{ type: 'function' }] }),
    });
    await chat(false, { body: JSON.stringify({ messages: 'hi' }) });
    await chat(false, { headers: jsonHeaders(token, { 'x-customgpt-session-id': '../../x' }) });
    await chat(true, { headers: jsonHeaders(token, { 'x-customgpt-session-id': 'unknown-1' }) });
    await chat(false, { path: '/api/v1/projects/9999/chat/completions' });

    // Upstream faults: on the conversation call (no match) and on the answer call, both modes.
    const faults: Fault[] = [
      ...[400, 401, 403, 404, 422, 429, 500, 503].map(
        (status): Fault => ({ kind: 'status', status, body: echo(status) }),
      ),
      { kind: 'status', status: 500, body: `bad key ${KEY}`, contentType: 'text/plain' },
      {
        kind: 'status',
        status: 502,
        body: `<html>bad key ${KEY}</html>`,
        contentType: 'text/html',
      },
      { kind: 'html-502' },
      { kind: 'reset-before-headers' },
      { kind: 'slow-first-byte', ms: 50 },
    ];
    for (const fault of faults) {
      for (const match of [undefined, '/messages']) {
        for (const stream of [false, true]) {
          sim.injectFault(match ? { ...fault, match } : fault);
          await chat(stream);
          sim.clearFaults();
        }
      }
    }
    const streamFaults: Fault[] = [
      { kind: 'error-event', afterEvents: 2, message: `bad key ${KEY}` },
      { kind: 'drop-mid-stream', afterEvents: 2 },
      { kind: 'malformed-event', afterEvents: 2 },
    ];
    for (const fault of streamFaults) {
      for (const stream of [false, true]) {
        sim.injectFault(fault);
        await chat(stream);
        sim.clearFaults();
      }
    }
    ws.close();
    const { code } = await bridge.stop();
    assert.equal(code, 0, 'clean exit');

    const everything = [
      ['stdout (ready line)', bridge.stdout()],
      ['stderr (logs)', bridge.stderr()],
      ['responses', transcript.join('\n')],
      ['activity events', events.join('\n')],
    ];
    for (const [where, text] of everything) {
      assert.ok(!text!.includes(KEY), `${where} contains the key`);
      assert.ok(!text!.includes(FRAGMENT), `${where} contains part of the key`);
    }
    // The echoing paths really ran: the upstream's "bad key ..." reached the client, redacted.
    assert.ok(
      transcript.join('\n').includes('bad key [redacted]'),
      'echoed messages were redacted',
    );
    assert.ok(transcript.length > 60, `${transcript.length} exchanges`);
  });
});
