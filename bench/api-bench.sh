#!/usr/bin/env bash
# REST API load benchmark: lo serve on loopback over a store of 1,000,000 events, wrk against the
# history and status-like endpoints; prints requests/s and p99 per endpoint.
# Usage: bench/api-bench.sh [DURATION_S] [CONNECTIONS]   (from the repository root)
#        bench/api-bench.sh --smoke    (2,000 events, 1 s per endpoint with 2 connections, no warm-up, on the
#                                       current build: checks the bench still runs; BenchSmokeIT runs it)
# Env: BENCH_DIR (default target/api-bench; the seeded store is reused when present), PORT (default 7491),
# LO_SKIP_BUILD=1 (use the current build as is), BENCH_CLASSPATH (the test class path; default: asked from Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=false
if [[ "${1:-}" == --smoke ]]; then
  smoke=true
  set -- 1 2
  export LO_SKIP_BUILD=1
fi
DURATION="${1:-20}"
CONNECTIONS="${2:-16}"
PORT="${PORT:-7491}"
EVENTS=1000000
$smoke && EVENTS=2000
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
WORK="$(realpath -m "${BENCH_DIR:-target/api-bench}")"
$smoke && WORK="$WORK-smoke"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${LO_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -o package -DskipTests -DskipITs
fi
if [[ -z "${BENCH_CLASSPATH:-}" ]]; then
  ./mvnw -q -B -o -pl cli dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
  BENCH_CLASSPATH="cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.classpath)"
fi

if [[ ! -f "$WORK/store/seeded-$EVENTS" ]]; then
  "$JAVA" -cp "$BENCH_CLASSPATH" dev.lok8s.lo.store.ApiBenchSeed "$WORK/store" "$EVENTS"
  touch "$WORK/store/seeded-$EVENTS"
fi

LO_STATE_DIR="$WORK/store" deploy/lo serve --host 127.0.0.1 --port "$PORT" 2>"$WORK/serve.log" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "lo serve did not become ready" >&2; exit 1; }
head -1 "$WORK/serve.log"

run() {
  local name="$1" path="$2"
  # warm-up, then the measured run
  $smoke || wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT$path" >/dev/null
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$path")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
  printf '| %s | `%s` | %s | %s | %s | %s |\n' "$name" "$path" "$rps" "$p50" "$p99" "${errors:-none}"
}
echo "| endpoint | request | req/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
run "history, one domain" "/api/history?domain=d42.lok8s.dev&limit=50"
run "history, domain + type" "/api/history?domain=d40.lok8s.dev&type=RegistryStarted&limit=50"
run "history, second page" "/api/history?domain=d42.lok8s.dev&limit=50&before=$((EVENTS / 2))"
run "runs (status)" "/api/runs?limit=50"
run "projects (status)" "/api/projects"
run "networks (status)" "/api/networks"
