#!/usr/bin/env bash
# `npm run test:e2e`: the extension in a real VS Code (code-server) driven by Playwright and
# Debian Chromium, asserting on what a person sees. Works from a fresh clone after `npm ci`:
# the heavy tools are installed here, pinned, into the git-ignored .cache/e2e/<versions>/,
# never into package.json, so a warm run skips the install.
# Usage: scripts/e2e.sh [--install-only | mocha args, e.g. --bail]. The steps build on each
# other (key, project, chat, restart, second window): run them all rather than --grep one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)

CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

# code-server's engines field is exactly Node 24 and its postinstall refuses any other major.
source scripts/ensure-node.sh 24
node_dir=$(cd "$(dirname "$(command -v node)")/.." && pwd)
# node-gyp (kerberos, a code-server dependency) must build against these headers; without this
# it uses the system Node's headers or tries to download them (no route on CI).
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_dir/include/node/node.h" ]; then
  export npm_config_nodedir="$node_dir"
fi

# One run at a time per checkout: runs share the tool cache, dist/ and test-results/e2e/.
# The lock is held by this shell only (fd 9 is closed for the commands it starts), so a stray
# child can never keep it.
mkdir -p "$root/.cache/e2e"
exec 9>"$root/.cache/e2e/run.lock"
if ! flock -n 9; then
  echo "e2e: another run holds .cache/e2e/run.lock; waiting up to 20 min" >&2
  flock -w 1200 9 || { echo "e2e: gave up waiting for the other run" >&2; exit 1; }
fi

# System packages: Chromium to drive, libkrb5-dev so kerberos compiles (gssapi.h).
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e: apt-get install ${need_apt[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo -n)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need_apt[@]}"
fi

# The tool cache, keyed by every version that shapes it. `.complete` is written last, so an
# interrupted install is redone rather than half-used.
tools="$root/.cache/e2e/code-server-$CODE_SERVER_VERSION-playwright-$PLAYWRIGHT_VERSION-node$(node -p 'process.versions.node.split(".")[0]')"
if [ ! -f "$tools/.complete" ]; then
  echo "e2e: installing code-server@$CODE_SERVER_VERSION + playwright-core@$PLAYWRIGHT_VERSION into $tools (a few minutes)" >&2
  rm -rf "$tools"
  mkdir -p "$tools"
  echo '{"name":"e2e-tools","private":true}' >"$tools/package.json"
  t0=$(date +%s)
  # Under `npm run`, the outer npm's npm_config_user_agent ("... node/v20 ...") is inherited as
  # config, and code-server's postinstall reads the Node version from it: drop it.
  env -u npm_config_user_agent npm install --prefix "$tools" --no-audit --no-fund --foreground-scripts \
    "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" >"$tools.install.log" 2>&1 9>&- ||
    { tail -40 "$tools.install.log" >&2; echo "e2e: tool install failed (log: $tools.install.log)" >&2; exit 1; }
  touch "$tools/.complete"
  echo "e2e: tools installed in $(( $(date +%s) - t0 )) s" >&2
else
  echo "e2e: tools cached in $tools" >&2
fi
[ "${1:-}" = --install-only ] && exit 0

# Build dist/ (bridge, simulator, extension) and the VSIX the way a release does.
npm run package 9>&-
vsix=$(ls -t dist/*.vsix ./*.vsix 2>/dev/null | head -1 || true)
[ -n "$vsix" ] || { echo "e2e: npm run package made no .vsix (looked in dist/ and ./)" >&2; exit 1; }

export E2E_TOOLS_DIR="$tools"
export E2E_VSIX="$root/$vsix"
status=0
# On Ctrl-C the suite kills what it started and exits; make sure the run then counts as failed.
interrupted=0
trap 'interrupted=1' INT TERM
"$root/node_modules/.bin/mocha" --config test/e2e/.mocharc.json "$@" 9>&- || status=$?
[ "$interrupted" = 0 ] || status=130
echo "e2e: finished in $(( $(date +%s) - started )) s (exit $status)" >&2
exit $status
