// The manifest (package.json contributes) must match what the code registers and reads.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMAND_CATEGORY, COMMAND_TITLES } from '../../../extension/core/commandIds';
import { CONFIG_KEYS, CONFIG_SECTION, DEFAULT_CONFIG } from '../../../extension/core/config';

const root = path.join(__dirname, '..', '..', '..');

interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { default: unknown; scope?: string }> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('extension manifest', () => {
  it('contributes exactly the commands the extension registers, in category CustomGPT', () => {
    const contributed = Object.fromEntries(
      manifest.contributes.commands.map((c) => [c.command, c.title]),
    );
    assert.deepEqual(contributed, COMMAND_TITLES);
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, COMMAND_CATEGORY, command.command);
    }
  });

  it('registers a handler for every command id', () => {
    const source = readFileSync(path.join(root, 'extension', 'commands.ts'), 'utf8');
    for (const id of Object.keys(COMMAND_TITLES)) assert.ok(source.includes(`'${id}'`), id);
  });

  it('declares every setting with the default the code uses, user-level only', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(
      Object.keys(properties).sort(),
      CONFIG_KEYS.map((k) => `${CONFIG_SECTION}.${k}`).sort(),
    );
    for (const key of CONFIG_KEYS) {
      const property = properties[`${CONFIG_SECTION}.${key}`];
      assert.deepEqual(property?.default, DEFAULT_CONFIG[key], key);
      // A workspace must not redirect the user's key (upstreamUrl) or change the shared bridge.
      assert.equal(property?.scope, 'application', key);
    }
  });

  it('activates lazily and points at the bundle and icon', () => {
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.icon, 'media/icon.png');
  });

  it('ships an allow-list .vscodeignore', () => {
    const lines = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    assert.ok(lines.slice(1).every((l) => l.startsWith('!')));
    assert.ok(lines.includes('!dist/extension.js'));
    assert.ok(lines.includes('!dist/bridge.js'));
  });

  it('ships every file a shipped bundle loads at run time (the bridge is three files)', function () {
    const shipped = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    for (const f of [
      'dist/bridge.js',
      'dist/bridge-main.js',
      'dist/mcp-sdk.js',
      'dist/tokenizer.js',
    ]) {
      assert.ok(shipped.includes(f), `${f} is in the VSIX`);
    }
    // The launcher, the bridge and the extension load their siblings with require("./x.js"):
    // each one must be in the VSIX too (a chunk left out breaks only the installed extension).
    const bundles = shipped.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    if (!bundles.every((f) => existsSync(path.join(root, f)))) this.skip(); // not built
    for (const bundle of bundles) {
      const code = readFileSync(path.join(root, bundle), 'utf8');
      for (const m of code.matchAll(/require\("\.\/([\w.-]+\.js)"\)/g)) {
        assert.ok(shipped.includes(`dist/${m[1]}`), `${bundle} loads dist/${m[1]}: ship it`);
      }
    }
  });
});
