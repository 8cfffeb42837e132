#!/usr/bin/env bash
# Builds lo, installs it under PREFIX (default ~/.local) with an AOT cache trained on the
# common commands, and links PREFIX/bin/lo. Rerun after every update: the cache must come
# from the same JDK and the same jar.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=${PREFIX:-$HOME/.local}
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

cd "$repo"
if [[ "${LO_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B package -DskipTests
fi
dest="$prefix/lib/lok8s-lo"
rm -rf "$dest.new" && mkdir -p "$dest.new/bin"
cp -r target/quarkus-app "$dest.new/app"
cp deploy/lo "$dest.new/bin/lo"
rm -rf "$dest" && mv "$dest.new" "$dest"

# Training run: the hidden 'lo train' command does in one process what the common commands do
# (help, parse and plan a spec, read the store), against a throwaway store, so the cache holds
# the classes they load.
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
(
  cd "$repo"
  LO_STATE_DIR="$train" "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -XX:AOTCacheOutput="$dest/app/lo.aot" -Xlog:disable -Xlog:all=off \
    -jar "$dest/app/quarkus-run.jar" train >/dev/null 2>&1 || true
)
mkdir -p "$prefix/bin"
ln -sf "$dest/bin/lo" "$prefix/bin/lo"
echo "installed lo to $dest; $prefix/bin/lo links to it"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "add $prefix/bin to your PATH" ;; esac
