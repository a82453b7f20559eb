#!/usr/bin/env bash
# The one test command: installs what the tests need when it is missing (PostgreSQL, Prometheus, HAProxy, Redis, Chromium,
# s3rver, an OTLP receiver's packages), starts a throwaway PostgreSQL, a throwaway Prometheus and a throwaway s3rver on
# loopback, builds, runs every test project (building the packages of ./rewind package beside them, for their test),
# stops what it started, and ends with "tests: N passed, N failed, N skipped". The HAProxy tests start haproxy processes
# of their own, the seed stacks' tests redis-server processes; the dashboard tests drive Debian's Chromium through
# Playwright.
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
ensure_prometheus() {
  if ! command -v prometheus >/dev/null; then
    log "installing Prometheus from Debian's packages"
    # RUNLEVEL=1 keeps invoke-rc.d from starting the packaged service; without systemd that start would fail anyway.
    as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq prometheus >/dev/null \
      || { log "cannot install prometheus"; return 1; }
    # If the package's own service did start (on :9090), stop it through its init script; the tests never use it.
    if [ -x /etc/init.d/prometheus ]; then as_root /etc/init.d/prometheus stop >/dev/null 2>&1 || true; fi
  fi
}

haproxy_bin() { command -v haproxy 2>/dev/null || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; }; }

ensure_haproxy() {
  if [ -z "$(haproxy_bin)" ]; then
    log "installing HAProxy from Debian's packages"
    # RUNLEVEL=1 keeps invoke-rc.d from starting the packaged service, as for Prometheus.
    as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq haproxy >/dev/null \
      || { log "cannot install haproxy"; return 1; }
    if [ -x /etc/init.d/haproxy ]; then as_root /etc/init.d/haproxy stop >/dev/null 2>&1 || true; fi
  fi
  log "HAProxy $("$(haproxy_bin)" -v | awk 'NR == 1 {print $3}')"
}

ensure_redis() {
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    log "installing Redis from Debian's packages"
    # RUNLEVEL=1 keeps invoke-rc.d from starting the packaged service; the seed tests start redis-server processes of their own.
    as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq redis-server >/dev/null \
      || { log "cannot install redis-server"; return 1; }
    if [ -x /etc/init.d/redis-server ]; then as_root /etc/init.d/redis-server stop >/dev/null 2>&1 || true; fi
  fi
  log "Redis $(redis-server --version | awk '{print $3}')"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Chromium from Debian's packages"
    as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || { log "cannot install chromium"; return 1; }
  fi
  log "$(/usr/bin/chromium --version 2>/dev/null | head -1)"
}

http_ok() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null; }

prom_dir=""
prom_pid=""
prom_taken=""
start_prometheus_from() {
  local port=""
  prom_dir="$(mktemp -d /tmp/rewind-test-prom.XXXXXX)"
  for p in $(seq "$1" 59190); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
  [ -n "$port" ] || { log "no free port for Prometheus in 59090-59190"; return 1; }
  mkdir -p "$prom_dir/targets" "$prom_dir/data"
  # Tests add scrape targets by writing <targets>/<name>.json (file_sd), each with its own job label.
  cat >"$prom_dir/prometheus.yml" <<YAML
global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: rewind-tests
    file_sd_configs:
      - files: ["$prom_dir/targets/*.json"]
        refresh_interval: 1s
YAML
  prometheus --config.file="$prom_dir/prometheus.yml" --storage.tsdb.path="$prom_dir/data" \
    --web.listen-address="127.0.0.1:$port" >"$prom_dir/prometheus.log" 2>&1 &
  prom_pid=$!
  for _ in $(seq 1 120); do
    if http_ok "http://127.0.0.1:$port/-/ready"; then
      export REWIND_TEST_PROMETHEUS="http://127.0.0.1:$port"
      export REWIND_TEST_PROMETHEUS_TARGETS="$prom_dir/targets"
      log "Prometheus $(prometheus --version 2>&1 | awk 'NR == 1 {print $3}') running on 127.0.0.1:$port ($prom_dir)"
      return 0
    fi
    kill -0 "$prom_pid" 2>/dev/null || break
    sleep 0.5
  done
  if grep -q "address already in use" "$prom_dir/prometheus.log"; then prom_taken="$port"; return 2; fi
  tail -20 "$prom_dir/prometheus.log" >&2
  return 1
}

# A port that looked free can still be held (a Prometheus of an earlier run shutting down): then the next one is tried.
start_prometheus() {
  local first=59090 rc
  for _ in 1 2 3; do
    start_prometheus_from "$first"; rc=$?
    [ "$rc" = 2 ] || return "$rc"
    rm -rf "$prom_dir"
    first=$((prom_taken + 1))
  done
  return 1
}

stop_prometheus() {
  if [ -n "$prom_pid" ]; then
    kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
    prom_pid=""
  fi
  if [ -n "$prom_dir" ]; then rm -rf "$prom_dir"; fi
}
# s3rver (npm) is the S3-compatible server of the object-storage repository tests: installed into .artifacts/ when missing.
s3rver_bin="$here/.artifacts/s3rver/node_modules/.bin/s3rver"
ensure_s3rver() {
  if [ ! -x "$s3rver_bin" ]; then
    log "installing s3rver from the npm registry"
    mkdir -p "$here/.artifacts/s3rver" && npm install --prefix "$here/.artifacts/s3rver" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null 2>&1 \
      || { log "cannot install s3rver"; return 1; }
  fi
}

s3_dir=""
s3_pid=""
start_s3rver() {
  local port=""
  s3_dir="$(mktemp -d /tmp/rewind-test-s3.XXXXXX)"
  for p in $(seq 59290 59390); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
  [ -n "$port" ] || { log "no free port for s3rver in 59290-59390"; return 1; }
  # s3rver signs its listing continuation tokens with DES, which OpenSSL 3 only has in its legacy provider.
  node --openssl-legacy-provider "$s3rver_bin" -d "$s3_dir/data" -a 127.0.0.1 -p "$port" --silent >"$s3_dir/s3rver.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      # s3rver's fixed credentials; each test makes a bucket of its own.
      export REWIND_TEST_S3="http://127.0.0.1:$port" REWIND_TEST_S3_ACCESS_KEY=S3RVER REWIND_TEST_S3_SECRET_KEY=S3RVER
      log "s3rver $(node "$s3rver_bin" --version) running on 127.0.0.1:$port ($s3_dir)"
      return 0
    fi
    kill -0 "$s3_pid" 2>/dev/null || break
    sleep 0.5
  done
  cat "$s3_dir/s3rver.log" >&2
  return 1
}

stop_s3rver() {
  if [ -n "$s3_pid" ]; then
    kill "$s3_pid" 2>/dev/null && wait "$s3_pid" 2>/dev/null
    s3_pid=""
  fi
  if [ -n "$s3_dir" ]; then rm -rf "$s3_dir"; fi
}
# The trace tests' OTLP receiver (test/Rewind.TestUtils/Otlp/otlp-receiver.js) decodes with the official protocol definitions
# from npm, installed into .artifacts/ when missing; each test starts a receiver of its own.
otlp_dir="$here/.artifacts/otlp-receiver"
ensure_otlp_receiver() {
  if [ ! -d "$otlp_dir/node_modules/@opentelemetry/otlp-transformer" ] || [ ! -d "$otlp_dir/node_modules/@grpc/grpc-js" ]; then
    log "installing the OTLP receiver's packages from the npm registry"
    mkdir -p "$otlp_dir" && npm install --prefix "$otlp_dir" --no-audit --no-fund --silent @opentelemetry/otlp-transformer@0.57.2 @grpc/grpc-js@1.14.7 >/dev/null 2>&1 \
      || { log "cannot install the OTLP receiver's packages"; return 1; }
  fi
}
# Stopped or killed, the script takes its test lanes with it (dotnet test, the test hosts and what they started).
lane_pids=()
# The parent first, so a lane stops before it starts its next project, then what it had started.
kill_tree() { local children child; children="$(pgrep -P "$1" 2>/dev/null)"; kill "$1" 2>/dev/null; for child in $children; do kill_tree "$child"; done; }
stop_lanes() { local pid; for pid in "${lane_pids[@]}"; do kill_tree "$pid"; done; }
trap 'stop_lanes; stop_s3rver; stop_prometheus; stop_postgres' EXIT
trap 'exit 143' TERM INT

failures=0
ensure_postgres && start_postgres || { log "PostgreSQL could not be started: the PostgreSQL tests will fail"; failures=1; }
ensure_prometheus && start_prometheus || { log "Prometheus could not be started: the Prometheus tests will fail"; failures=1; }
ensure_s3rver && start_s3rver || { log "s3rver could not be started: the object storage tests will fail"; failures=1; }
ensure_otlp_receiver || { log "the OTLP receiver could not be installed: the trace tests will fail"; failures=1; }
ensure_haproxy || { log "HAProxy could not be installed: the HAProxy tests will fail"; failures=1; }
ensure_redis || { log "Redis could not be installed: the seed tests will fail"; failures=1; }
ensure_chromium || { log "Chromium could not be installed: the dashboard tests will fail"; failures=1; }

rm -rf "$results"
log "building"
if ! dotnet build Rewind.slnx -c Debug -nologo -v quiet -clp:ErrorsOnly; then
  log "build failed"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# Every test process (the test hosts, and each rewind, agent and sample service a test starts) runs without the JIT's
# instrumented tier (TieredPGO) and recompiles a method optimized after 200 calls instead of 30: most of these
# processes live seconds, too short to earn back instrumenting and recompiling what they run. Nothing a test checks
# changes (the same IL runs); the in-process server tests and the seed stacks' drills take about 40 % less CPU, the
# other end-to-end tests 20 % less, the backup tests 13 % less, the pure unit tests about as much as before.
export DOTNET_TieredPGO=0 DOTNET_TC_CallCountThreshold=200

# The packages (./rewind package) are built from this Debug build beside the lanes: only the CLI is compiled again, for
# linux-x64, and the two archives compressed (about 20 s of CPU). Their test (four tests, about 40 s), the last entry
# of lane A, the shortest, waits for them; by then they are long done.
package_status="$here/.artifacts/package.status"
rm -f "$package_status"
case " ${*:-Rewind.EndToEnd.Tests} " in
  *" Rewind.EndToEnd.Tests "* | *" Rewind.EndToEnd.Tests:package "*)
    export REWIND_TEST_PACKAGE="$here/.artifacts/package"
    { packaging/package --configuration Debug >"$here/.artifacts/package-build.log" 2>&1; echo $? >"$package_status"; } &
    package_pid=$! ;;
  *) package_pid="" ;;
esac

wait_for_package() {
  local waited=0
  while [ ! -s "$package_status" ] && [ "$waited" -lt 900 ]; do sleep 1; waited=$((waited + 1)); done
  if [ "$(cat "$package_status" 2>/dev/null)" != 0 ]; then
    log "./rewind package failed or did not finish (its test fails):"
    tail -30 "$here/.artifacts/package-build.log" >&2
  fi
}

log "running tests"
# The tests use both cores fully, so they run in two lanes, each one project (or part of one) after another, the
# longest first; the in-process controller tests are split in two parts by namespace, and the end-to-end tests in two
# (agents and fleets, the rest), one of each in each lane, so neither lane waits for the other at the end; the seed
# stacks' drills and the backup tests, which mostly wait or copy, run in a third lane beside them, with the pure unit
# tests of Core last (the last run on a quiet machine: lanes of 7.1, 7.0 and 7.7 minutes, 9.8 minutes in all with the
# setup and the build). An entry is PROJECT or PROJECT:PART (a part is a test filter below). Arguments
# name test projects to run instead of all of them (./test.sh Rewind.Server.Tests). Every test's name and result is
# printed (so the log shows the storage contract running on SQLite and PostgreSQL), and for a failure its message;
# stack traces stay in the .trx files under .artifacts/test-results.
runbooks='FullyQualifiedName~Rewind.Server.Tests.Runbooks.|FullyQualifiedName~Rewind.Server.Tests.Releases.'
rest='FullyQualifiedName!~Rewind.Server.Tests.Runbooks.&FullyQualifiedName!~Rewind.Server.Tests.Releases.'
agents='FullyQualifiedName~Rewind.EndToEnd.Tests.Agent|FullyQualifiedName~Rewind.EndToEnd.Tests.FleetTests'
controller='FullyQualifiedName!~Rewind.EndToEnd.Tests.Agent&FullyQualifiedName!~Rewind.EndToEnd.Tests.FleetTests&FullyQualifiedName!~Rewind.EndToEnd.Tests.Seeds.&FullyQualifiedName!~Rewind.EndToEnd.Tests.PackageTests'
package='FullyQualifiedName~Rewind.EndToEnd.Tests.PackageTests'
seeds='FullyQualifiedName~Rewind.EndToEnd.Tests.Seeds.'
backups='FullyQualifiedName~Rewind.Runtime.Tests.Backups.'
other='FullyQualifiedName!~Rewind.Runtime.Tests.Backups.'
lane_a=(Rewind.Server.Tests:rest Rewind.EndToEnd.Tests:agents Rewind.Runtime.Tests:other Rewind.Client.Tests Rewind.Cli.Tests Rewind.EndToEnd.Tests:package)
lane_b=(Rewind.EndToEnd.Tests:controller Rewind.Server.Tests:runbooks Rewind.Dashboard.Tests Rewind.Engine.Tests)
# The seed stacks' drills mostly wait (deploy grace, probes, a plan's gates), and the backup tests (every one against a
# directory and object storage) mostly copy: a third lane beside the other two.
lane_c=(Rewind.EndToEnd.Tests:seeds Rewind.Runtime.Tests:backups Rewind.Storage.Tests Rewind.Core.Tests)
if [ "$#" -gt 0 ]; then
  lane_a=("$@"); lane_b=(); lane_c=()
else
  # A test project added later and left out of the lanes would silently never run: name it and count it as a failure.
  for csproj in test/*.Tests/*.csproj; do
    project="$(basename "$csproj" .csproj)"
    case " ${lane_a[*]} ${lane_b[*]} ${lane_c[*]} " in *" $project "* | *" $project:"*) ;; *) log "$project is in no lane of test.sh"; failures=$((failures + 1)) ;; esac
  done
fi

run_lane() {
  local entry project part filter rc=0
  for entry in "$@"; do
    project="${entry%%:*}"; part=""; filter=()
    if [ "$entry" != "$project" ]; then part="${entry#*:}"; filter=(--filter "${!part}"); fi
    [ -f "test/$project/$project.csproj" ] || { log "no test project test/$project"; rc=1; continue; }
    if [ "$project" = Rewind.EndToEnd.Tests ] && [ -n "$package_pid" ] && { [ -z "$part" ] || [ "$part" = package ]; }; then wait_for_package; fi
    dotnet test "test/$project/$project.csproj" -c Debug --no-build -nologo "${filter[@]}" \
      --logger "trx;LogFileName=$project${part:+-$part}.trx" --logger "console;verbosity=normal" --results-directory "$results" \
      | awk '/^[[:space:]]+Error Message:/ { show = 12 } /^[[:space:]]+Stack Trace:/ { show = 0 }
             show > 0 { print; show--; next }
             /^[[:space:]]+(Passed|Failed|Skipped) |^(Passed|Failed)!/ { print; fflush() }'
    [ "${PIPESTATUS[0]}" = 0 ] || rc=1
  done
  return "$rc"
}

run_lane "${lane_a[@]}" & lane_a_pid=$!
run_lane "${lane_b[@]}" & lane_b_pid=$!
run_lane "${lane_c[@]}" & lane_c_pid=$!
lane_pids=("$lane_a_pid" "$lane_b_pid" "$lane_c_pid" $package_pid)
test_exit=0
wait "$lane_a_pid" || test_exit=1
wait "$lane_b_pid" || test_exit=1
wait "$lane_c_pid" || test_exit=1
if [ -n "$package_pid" ]; then wait "$package_pid"; fi
lane_pids=()

# The counts come from the .trx files; a failed test's name and the first lines of its message are printed again just
# before the last line, so a log cut to its end still says what failed.
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for path in sorted(glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)):
    root = ET.parse(path).getroot()
    c = root.find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    s += int(c.get("notExecuted", 0))
    for r in root.findall(".//{*}UnitTestResult"):
        if r.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"): continue
        message = r.find(".//{*}ErrorInfo/{*}Message")
        lines = (message.text or "").strip().splitlines()[:6] if message is not None else []
        print("failed: " + r.get("testName", "?") + " [" + r.get("duration", "?") + "]", file=sys.stderr)
        for line in lines: print("    " + line[:300], file=sys.stderr)
print(p, f, s)
PY
)
if [ "$test_exit" != 0 ] && [ "$failed" = 0 ]; then failed=1; log "dotnet test exited $test_exit"; fi
if [ "$passed" = 0 ]; then failed=$((failed + 1)); log "no test ran"; fi
failed=$((failed + failures))
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
