// Test-only VS Code extensions, built by an e2e suite and never shipped (another extension using
// the CustomGPT models, a tool-calling model for agent mode): one manifest and one extension.js
// written to a folder and packaged with the repository's vsce.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestExtension {
  /** The package name (also the VSIX file name). */
  name: string;
  displayName: string;
  description: string;
  activationEvents: string[];
  contributes: Record<string, unknown>;
  /** The whole extension.js (CommonJS). */
  source: string;
}

/** Writes the extension under `dir` and packages it; returns the VSIX path. */
export async function buildTestExtension(
  repoRoot: string,
  dir: string,
  ext: TestExtension,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: ext.name,
    displayName: `${ext.displayName} (test only)`,
    description: `Test-only: ${ext.description}`,
    version: '0.0.1',
    publisher: 'customgpt-e2e',
    license: 'MIT',
    engines: { vscode: '^1.104.0' },
    main: './extension.js',
    activationEvents: ext.activationEvents,
    contributes: ext.contributes,
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(path.join(dir, 'extension.js'), ext.source);
  writeFileSync(path.join(dir, 'README.md'), `# ${ext.displayName}\n\nTest only.\n`);
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, `${ext.name}.vsix`);
  await run(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '-o',
      vsix,
    ],
    { cwd: dir, timeout: 120_000 },
  );
  return vsix;
}
