// The bridge's compile cache lives in a per-user folder that nobody else can write (cached code
// is executed): where that folder is on each platform, and which folders are refused.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCacheDir, isPrivateDir } from '../../../bridge/compile-cache.js';

describe('compile cache folder', () => {
  it('is per user, by platform convention', () => {
    assert.equal(
      compileCacheDir({}, 'linux', '/home/ada'),
      '/home/ada/.cache/customgpt-bridge/compile-cache',
    );
    assert.equal(
      compileCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/ada'),
      '/xdg/customgpt-bridge/compile-cache',
    );
    // A relative XDG_CACHE_HOME is invalid by the spec: ignored.
    assert.equal(
      compileCacheDir({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/ada'),
      '/home/ada/.cache/customgpt-bridge/compile-cache',
    );
    assert.equal(
      compileCacheDir({}, 'darwin', '/Users/ada'),
      '/Users/ada/Library/Caches/customgpt-bridge/compile-cache',
    );
    assert.ok(
      compileCacheDir({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32', 'C:\\Users\\ada')
        .replace(/\\/g, '/')
        .startsWith('C:/Users/ada/AppData/Local/customgpt-bridge'),
    );
  });

  describe('isPrivateDir (POSIX)', () => {
    let dir: string;
    before(function () {
      if (process.platform === 'win32') this.skip();
    });
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cc-test-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('accepts a 0700 folder of this user', () => {
      const d = join(dir, 'ok');
      mkdirSync(d, { mode: 0o700 });
      assert.equal(isPrivateDir(d), true);
    });

    it('refuses a folder others can write to, and a symbolic link', () => {
      const open = join(dir, 'open');
      mkdirSync(open);
      chmodSync(open, 0o777);
      assert.equal(isPrivateDir(open), false);
      const group = join(dir, 'group');
      mkdirSync(group);
      chmodSync(group, 0o770);
      assert.equal(isPrivateDir(group), false);
      const target = join(dir, 'target');
      mkdirSync(target, { mode: 0o700 });
      const link = join(dir, 'link');
      symlinkSync(target, link);
      assert.equal(isPrivateDir(link), false);
    });
  });
});
