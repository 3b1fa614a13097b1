#!/usr/bin/env bash
# Builds Tocsin at one commit in a separate directory, so that a long benchmark run is not disturbed
# by rebuilds of this checkout's dist/. Usage: bench/snapshot.sh [COMMIT] [DIR]; then
#   npm run bench -- --tocsin-dir DIR
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$repo" rev-parse --short "${1:-HEAD}")"
dir="${2:-$(mktemp -d "${TMPDIR:-/tmp}/tocsin-$commit-XXXXXX")}"
mkdir -p "$dir"
git -C "$repo" archive "$commit" | tar -x -C "$dir"
ln -sfn "$repo/node_modules" "$dir/node_modules"
echo "$commit" > "$dir/COMMIT"
(cd "$dir" && npm run build --silent >/dev/null)
echo "$dir"
