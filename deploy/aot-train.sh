#!/usr/bin/env bash
# Trains the JDK AOT cache of one lo build: deploy/aot-train.sh cli|serve APP_DIR
# Writes APP_DIR/lo.aot, which the launcher deploy/lo uses when it is newer than the jar. Run by
# the Maven build (package phase) and by deploy/install.sh. The JVM options must be the
# launcher's: a cache is only used with the options it was trained with.
#   cli:   the hidden 'lo train' command does in one process what the common commands do
#          (help of every command, parse and plan a spec, JSON, read the store, build a Docker
#          client), against a throwaway store migrated beforehand. Two more caches, lo-run.aot and
#          lo-status.aot, are trained by 'lo train run' (a project's registries up, again, down) and
#          'lo train status' (its status and doctor), against an in-memory engine on loopback
#          addresses; the launcher gives them to provision / registry up / down / resume / destroy
#          and to registry status / doctor. A second, small cache,
#          APP_DIR/lo-help.aot, is trained on 'lo --help': usage and version are answered without
#          starting Quarkus (cli/LoMain), and a JVM maps and loads every class of its cache at
#          start, so help with the full cache would pay for ~6,000 classes it never uses.
#          APP_DIR/help/ holds every command's usage text (cli/HelpTexts), which the launcher prints
#          for `lo [COMMAND...] --help` without starting a JVM.
#   serve: a full start of the service (HTTP on a free port, REST, OpenAPI, health, metrics),
#          stopped right after by --version.
# A failed training leaves no cache (lo then starts without one) and does not fail the build.
set -uo pipefail
kind=$1 app=$2
if [[ ! -f "$app/quarkus-run.jar" ]]; then # e.g. -Dquarkus.skip=true: nothing to train
  echo "aot-train: no $app/quarkus-run.jar; no AOT cache for $kind" >&2
  exit 0
fi
app=$(cd "$app" && pwd)
java_home=${LO_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
rm -rf "$app/lo.aot" "$app/lo-help.aot" "$app/lo-run.aot" "$app/lo-status.aot" "$app/help"
case "$kind" in
  cli) opts=(-XX:TieredStopAtLevel=1 -XX:C1MaxInlineSize=16 -XX:+UseSerialGC -Xms16m -Xmn8m -XX:-UsePerfData) args=(train) ;;
  serve) opts=(-XX:+UseSerialGC -Dquarkus.http.port=0) args=(--version) ;;
  *) echo "usage: $0 cli|serve APP_DIR" >&2; exit 2 ;;
esac
# A command runs C1 only (TieredStopAtLevel=1), which keeps no method profiles: the cache's training
# data (JEP 515, method profiles and counters for C2) would only be mapped and read at every start.
# Without it the cache is ~1 MB smaller; a command's peak RSS -2 MiB, CPU the same or lower
# (docs/benchmarks.md). The service and `lo registry warm` (full JIT) train or run with it as before.
record=()
[[ $kind == cli ]] && record=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining)
start=$SECONDS
# picocli's classes are Java 5 class files, which the AOT cache skips ("old class"): rewritten first as Java 8
# class files with stack maps, so they (and lo's classes implementing its interfaces) go into the cache.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$java_home/bin/java" "$here/RetargetClasses.java" "$app"/lib/main/*.jar \
  || echo "aot-train: classes not retargeted (picocli is loaded from its jar at every start)" >&2
if [[ $kind == cli ]]; then
  # Migrate the throwaway store first, outside the recording: a store is migrated once per schema
  # version, and every class in the cache is loaded at every start (Flyway alone is ~400 classes).
  LO_STATE_DIR="$state" "$java_home/bin/java" "${opts[@]}" -jar "$app/quarkus-run.jar" runs >/dev/null 2>&1
fi
if LO_STATE_DIR="$state" "$java_home/bin/java" "${opts[@]}" "${record[@]}" -XX:AOTCacheOutput="$app/lo.aot" \
     -Xlog:disable -Xlog:all=off -jar "$app/quarkus-run.jar" "${args[@]}" >/dev/null 2>"$state/train.err" \
   && [[ -f "$app/lo.aot" ]]; then
  echo "aot-train: $kind cache $app/lo.aot ($((SECONDS - start)) s)" >&2
else
  echo "aot-train: no AOT cache for $kind (lo starts without one): $(tail -3 "$state/train.err")" >&2
  rm -f "$app/lo.aot"
fi
if [[ $kind == cli ]]; then
  # A cache per family of frequent commands, trained on that family alone (lo train run|status; the launcher
  # picks it by the command's words): the JVM loads every class of its cache at start, so a status with the
  # cache of every command paid ~10 MiB of peak RSS for classes it never used (docs/benchmarks.md).
  for workload in run status; do
    if LO_STATE_DIR="$state" "$java_home/bin/java" "${opts[@]}" "${record[@]}" -XX:AOTCacheOutput="$app/lo-$workload.aot" \
         -Xlog:disable -Xlog:all=off -jar "$app/quarkus-run.jar" train "$workload" >/dev/null 2>"$state/train.err" \
       && [[ -f "$app/lo-$workload.aot" ]]; then
      echo "aot-train: cli $workload cache $app/lo-$workload.aot" >&2
    else
      echo "aot-train: no $workload cache (those commands use lo.aot): $(tail -3 "$state/train.err")" >&2
      rm -f "$app/lo-$workload.aot"
    fi
  done
fi
if [[ $kind == cli ]]; then
  if LO_STATE_DIR="$state" "$java_home/bin/java" "${opts[@]}" "${record[@]}" -XX:AOTCacheOutput="$app/lo-help.aot" \
       -Xlog:disable -Xlog:all=off -jar "$app/quarkus-run.jar" --help >/dev/null 2>"$state/train-help.err" \
     && [[ -f "$app/lo-help.aot" ]]; then
    echo "aot-train: cli help cache $app/lo-help.aot" >&2
  else
    echo "aot-train: no help cache (lo --help uses lo.aot): $(tail -3 "$state/train-help.err")" >&2
    rm -f "$app/lo-help.aot"
  fi
fi
if [[ $kind == cli ]]; then
  if "$java_home/bin/java" -cp "$app/quarkus-run.jar" dev.lok8s.lo.cli.HelpTexts "$state/help" 2>"$state/help.err" \
     && mv "$state/help" "$app/help"; then
    echo "aot-train: cli usage texts $app/help ($(ls "$app/help" | wc -l) files)" >&2
  else
    echo "aot-train: no usage texts (lo --help starts Java): $(tail -3 "$state/help.err")" >&2
  fi
fi
exit 0
