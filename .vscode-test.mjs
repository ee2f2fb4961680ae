// @vscode/test-cli configuration (`npm run test:ext`). It downloads VS Code, so it runs only on
// machines that can reach the VS Code download servers; the suite is bundled by
// test/vscode/build.mjs into dist/test/vscode first.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'extension',
  files: 'dist/test/vscode/**/*.test.js',
  version: 'stable',
  launchArgs: ['--disable-extensions', '--skip-welcome', '--skip-release-notes'],
  mocha: { ui: 'bdd', timeout: 30000 },
});
