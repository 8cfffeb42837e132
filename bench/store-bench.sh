#!/usr/bin/env bash
# Event store benchmark: append throughput, projection rebuild, history latency (in process and via the CLI).
# Usage: bench/store-bench.sh [ROUNDS]   (from the repository root; builds with -DskipTests first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
WORK="$(realpath -m "${BENCH_DIR:-target/store-bench}")"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "java: $("$JAVA" -version 2>&1 | head -1)"

./mvnw -q -B -o package -DskipTests -DskipITs
./mvnw -q -B -o -pl cli dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
CP="cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.classpath)"

"$JAVA" -cp "$CP" dev.lok8s.lo.store.StoreBench "$WORK" "$ROUNDS"

# The same history query through the CLI: a whole JVM + Quarkus boot + Flyway check + query.
if [ -f cli/target/quarkus-app/quarkus-run.jar ]; then
  times=()
  for i in $(seq 1 5); do
    start=$(date +%s%N)
    LO_STATE_DIR="$WORK/big" "$JAVA" -jar cli/target/quarkus-app/quarkus-run.jar history --domain d42.lok8s.dev --limit 50 >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "lo history --domain X --limit 50 via the CLI (java -jar, no AOT cache), 1,000,000 events: median ${sorted[2]} ms (${times[*]})"
fi
