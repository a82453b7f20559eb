#!/usr/bin/env bash
# The one test command: installs what the tests need when it is missing, starts a throwaway PostgreSQL on loopback,
# builds, runs every test project, stops what it started, and ends with "tests: N passed, N failed, N skipped".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
results="$here/.artifacts/test-results"
log() { echo "test.sh: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

ensure_postgres() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    log "installing PostgreSQL from Debian's packages"
    as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
      || { log "cannot install postgresql"; return 1; }
  fi
}

pg_dir=""
pg_port=""
pg_user=""
start_postgres() {
  local bin; bin="$(pg_bin)"
  pg_dir="$(mktemp -d /tmp/rewind-test-pg.XXXXXX)"
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then pg_port=$p; break; fi
  done
  run_pg=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$pg_dir" postgres
    chown postgres "$pg_dir"
    run_pg=(runuser -u postgres --)
  fi
  "${run_pg[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; return 1; }
  "${run_pg[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; return 1; }
  export REWIND_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pg_port/postgres"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$pg_port ($pg_dir)"
}

stop_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ]; then
    "${run_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT

failures=0
ensure_postgres && start_postgres || { log "PostgreSQL could not be started: the PostgreSQL tests will fail"; failures=1; }

rm -rf "$results"
log "building"
if ! dotnet build Rewind.slnx -c Debug -nologo -v quiet -clp:ErrorsOnly; then
  log "build failed"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

log "running tests"
# Every test's name and result (so the log shows the storage contract running on SQLite and PostgreSQL), and for a
# failure its message; stack traces stay in the .trx files under .artifacts/test-results.
dotnet test Rewind.slnx -c Debug --no-build -nologo --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  | awk '/^[[:space:]]+Error Message:/ { show = 12 } /^[[:space:]]+Stack Trace:/ { show = 0 }
         show > 0 { print; show--; next }
         /^[[:space:]]+(Passed|Failed|Skipped) |^(Passed|Failed)!/ { print; fflush() }' \
  || true
test_exit=${PIPESTATUS[0]}

read -r passed failed skipped < <(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    s += int(c.get("notExecuted", 0))
print(p, f, s)
PY
)
if [ "$test_exit" != 0 ] && [ "$failed" = 0 ]; then failed=1; log "dotnet test exited $test_exit"; fi
if [ "$passed" = 0 ]; then failed=$((failed + 1)); log "no test ran"; fi
failed=$((failed + failures))
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
