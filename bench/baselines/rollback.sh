#!/usr/bin/env bash
# The hand-written rollback script a team keeps next to its deploy script: point `current` at the previous release,
# restart, and poll the health endpoint once a second until it answers. Used as a baseline by bench/run recovery.
#   rollback.sh <root> <version> <port>
set -euo pipefail
root="$1"; version="$2"; port="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ln -sfn "releases/$version" "$root/current.new"
mv -T "$root/current.new" "$root/current"
"$here/../../samples/servicectl" restart "$root" "$port" >/dev/null
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 1; done
