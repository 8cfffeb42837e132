#!/usr/bin/env bash
# The project's test command, the same locally and in CI:
#   deploy/test.sh [extra Maven arguments]
# Starts (or reuses) the Docker Engine, builds the offline test images, starts a test
# PostgreSQL server (stopped again at the end if this run started it), then runs
# `./mvnw -B verify` with the stand-in kind on PATH. Prints the duration of each phase.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH

phase() {
  local name=$1 start=$SECONDS
  shift
  printf '==> %s\n' "$name" >&2
  "$@"
  printf '==> %s: %ss\n' "$name" "$((SECONDS - start))" >&2
}

cd "$REPO_ROOT"
phase engine-up deploy/engine-up.sh
phase build-images deploy/build-images.sh
# The store's contract tests and the team-store ITs also run against PostgreSQL: a throwaway
# server on 127.0.0.1 (deploy/postgres-up.sh), whose coordinates reach the tests as LO_TEST_PG_*.
pg_env=$(phase postgres-up deploy/postgres-up.sh start)
while IFS='=' read -r key value; do
  if [[ $key == LO_TEST_PG_* ]]; then export "$key=$value"; fi
done <<<"$pg_env"
if [[ ${LO_TEST_PG_STARTED:-0} == 1 ]]; then
  trap 'deploy/postgres-up.sh stop || true' EXIT
fi
# Tests find the stand-in through LO_TEST_KIND (absolute path); it is not put on PATH so a
# real kind, if installed, stays what `kind` means.
export LO_TEST_KIND=$REPO_ROOT/cli/src/test/kind/kind
# Two passes: every module's unit tests and packages first, then every module's integration tests,
# because some ITs of the command line (cli/) start the service build (serve/), which the reactor
# packages after cli's own integration tests would have run. `install`, so that the second pass
# (plugin goals only, no packaging) resolves the command line's jar for the service build.
phase maven-build ./mvnw -B install -DskipITs "$@"
# The crash matrix (CrashMatrixIT: 45 provisions killed at a step and resumed, about 11 min on its
# own) runs beside the other integration tests in a second Maven process with its own reports: it
# has its own names, subnets, label and state directory, and the engine is shared by design. Given
# arguments that choose tests (-Dit.test=..., -DskipITs), one process runs what they choose.
integration_tests() {
  local arg
  for arg in "$@"; do
    if [[ $arg == -Dit.test=* || $arg == -DskipITs* ]]; then
      ./mvnw -B failsafe:integration-test failsafe:verify "$@"
      return
    fi
  done
  local matrix_log=$REPO_ROOT/cli/target/crash-matrix.log rc=0 matrix_rc=0 matrix
  ./mvnw -B -pl cli failsafe:integration-test failsafe:verify -Dit.test=CrashMatrixIT \
    -Dlo.it.reports="$REPO_ROOT/cli/target/failsafe-crash-matrix" "$@" >"$matrix_log" 2>&1 &
  matrix=$!
  ./mvnw -B failsafe:integration-test failsafe:verify -Dit.test='*IT,!CrashMatrixIT' -Dfailsafe.failIfNoSpecifiedTests=false "$@" || rc=$?
  wait "$matrix" || matrix_rc=$?
  printf '==> crash matrix (cli/target/crash-matrix.log):\n' >&2
  if ((matrix_rc == 0)); then
    grep -E 'Tests run:|BUILD' "$matrix_log" >&2 || true
  else
    tail -n 150 "$matrix_log" >&2
  fi
  ((rc == 0 && matrix_rc == 0))
}
phase maven-its integration_tests "$@"
