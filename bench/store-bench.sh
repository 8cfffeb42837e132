#!/usr/bin/env bash
# Event store benchmark: append throughput, projection rebuild, history latency (in process and via the CLI).
# Usage: bench/store-bench.sh [ROUNDS]   (from the repository root; builds with -DskipTests first)
#        bench/store-bench.sh --smoke    (one round at a hundredth of the sizes, one CLI call, on the current
#                                         build: checks the bench still runs; BenchSmokeIT runs it in the test suite)
# Env: BENCH_DIR (default target/store-bench), LO_SKIP_BUILD=1 (use the current build as is),
# BENCH_CLASSPATH (the test class path; default: asked from Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=false
if [[ "${1:-}" == --smoke ]]; then
  smoke=true
  shift
  export LO_SKIP_BUILD=1
fi
ROUNDS="${1:-3}"
$smoke && ROUNDS=1
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
WORK="$(realpath -m "${BENCH_DIR:-target/store-bench}")"
$smoke && WORK="$WORK-smoke"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$JAVA" -version 2>&1 | head -1)"

if [[ "${LO_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -o package -DskipTests -DskipITs
fi
if [[ -z "${BENCH_CLASSPATH:-}" ]]; then
  ./mvnw -q -B -o -pl cli dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
  BENCH_CLASSPATH="cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.classpath)"
fi

if $smoke; then
  "$JAVA" -cp "$BENCH_CLASSPATH" dev.lok8s.lo.store.StoreBench "$WORK" "$ROUNDS" smoke
  events=10,000
else
  "$JAVA" -cp "$BENCH_CLASSPATH" dev.lok8s.lo.store.StoreBench "$WORK" "$ROUNDS"
  events=1,000,000
fi

# The same history query through the CLI: a whole JVM + Quarkus boot + schema check + query.
if [ -f cli/target/quarkus-app/quarkus-run.jar ]; then
  calls=5
  $smoke && calls=1
  times=()
  for i in $(seq 1 "$calls"); do
    start=$(date +%s%N)
    LO_STATE_DIR="$WORK/big" "$JAVA" -jar cli/target/quarkus-app/quarkus-run.jar history --domain d42.lok8s.dev --limit 50 >/dev/null 2>&1 \
      || { echo "lo history failed on $WORK/big" >&2; exit 1; }
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "lo history --domain X --limit 50 via the CLI (java -jar, no AOT cache), $events events: median ${sorted[$((calls / 2))]} ms (${times[*]})"
fi
