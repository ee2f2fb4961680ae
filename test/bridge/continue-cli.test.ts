// The Continue settings the extension copies, proven with the real Continue CLI (issue 9.8):
// the complete config.yaml from toolSnippets, unchanged, pointed at a bridge in front of the
// simulator, answers a question headless (`cn -p --config`). Continue sends 9 tool definitions:
// excluded, or with the bridge answering without tools (customgpt.onUnsupported: ignore).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolSnippets } from '../../extension/tools/toolSnippets';
import { type Stack, startStack } from '../hardening/support/stack';
import { cleanEnv } from '../support/bridge-cli';
import { CONTINUE_CLI_TOOLS, type ContinueCli, ensureContinueCli } from '../support/continue-cli';

const QUESTION = 'How do I install Acme Rocket?';

interface CnRun {
  code: number | null;
  output: string;
}

function runCn(bin: string, home: string, config: string, extra: string[]): Promise<CnRun> {
  return new Promise((resolve) => {
    const child = spawn(bin, ['-p', QUESTION, '--config', config, ...extra], {
      cwd: home,
      // Its own HOME: cn keeps sessions and permissions under ~/.continue.
      env: cleanEnv({ HOME: home }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('Continue CLI with the copied config.yaml', function () {
  this.timeout(300_000);
  let cli: ContinueCli;
  let home: string;
  const stacks: Stack[] = [];

  before(function () {
    cli = ensureContinueCli();
    if ('skip' in cli) {
      console.warn(`  skipped: ${cli.skip}`);
      this.skip();
    }
    home = mkdtempSync(path.join(os.tmpdir(), 'continue-cli-'));
  });
  after(async () => {
    await Promise.all(stacks.map((s) => s.close()));
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function configFor(onUnsupported: 'error' | 'ignore'): Promise<string> {
    const stack = await startStack({ bridge: { onUnsupported } });
    stacks.push(stack);
    const snippet = toolSnippets(stack.bridge.url, stack.bridge.token).find(
      (s) => s.id === 'continue-new',
    );
    assert.ok(snippet);
    const file = path.join(home, `config-${onUnsupported}.yaml`);
    writeFileSync(file, snippet.text);
    return file;
  }

  it('answers through the bridge with its tools excluded', async () => {
    if ('skip' in cli) return;
    const config = await configFor('error');
    const excluded = CONTINUE_CLI_TOOLS.flatMap((t) => ['--exclude', t]);
    const run = await runCn(cli.bin, home, config, excluded);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /npm install @acme\/rocket/);
  });

  it('gets a 501 for its tools by default, and an answer once the bridge ignores them', async () => {
    if ('skip' in cli) return;
    const refused = await runCn(cli.bin, home, await configFor('error'), []);
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /501/);
    const answered = await runCn(cli.bin, home, await configFor('ignore'), []);
    assert.equal(answered.code, 0, answered.output);
    assert.match(answered.output, /npm install @acme\/rocket/);
  });
});
