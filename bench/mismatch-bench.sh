#!/usr/bin/env bash
# GET /api/mismatches' current list over a log with many refusals: times SubnetMismatchReport.current()
# in process (what the resource calls) on an H2 store; prints the numbers, asserts nothing.
# Usage: bench/mismatch-bench.sh [REFUSALS] [ROUNDS]   (from the repository root; builds with -DskipTests first)
#        bench/mismatch-bench.sh --smoke                (100 refusals, 3 rounds, on the current build: checks the
#                                                        bench still runs; BenchSmokeIT runs it in the test suite)
# Env: LO_SKIP_BUILD=1 (use the current build as is), BENCH_CLASSPATH (the test class path; default: asked from Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == --smoke ]]; then
  set -- 100 3
  export LO_SKIP_BUILD=1
fi
REFUSALS="${1:-10000}"
ROUNDS="${2:-30}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${LO_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -o package -DskipTests -DskipITs
fi
if [[ -z "${BENCH_CLASSPATH:-}" ]]; then
  ./mvnw -q -B -o -pl cli dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
  BENCH_CLASSPATH="cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.classpath)"
fi
"$JAVA" -cp "$BENCH_CLASSPATH" dev.lok8s.lo.projection.MismatchReportBench "$REFUSALS" "$ROUNDS"
