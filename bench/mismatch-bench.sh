#!/usr/bin/env bash
# GET /api/mismatches' current list over a log with many refusals: times SubnetMismatchReport.current()
# in process (what the resource calls) on an H2 store; prints the numbers, asserts nothing.
# Usage: bench/mismatch-bench.sh [REFUSALS] [ROUNDS]   (from the repository root; builds with -DskipTests first)
set -euo pipefail
cd "$(dirname "$0")/.."
REFUSALS="${1:-10000}"
ROUNDS="${2:-30}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -q -B -o package -DskipTests -DskipITs
./mvnw -q -B -o -pl cli dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.classpath)"
"$JAVA" -cp "$CP" dev.lok8s.lo.projection.MismatchReportBench "$REFUSALS" "$ROUNDS"
