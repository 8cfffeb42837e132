#!/usr/bin/env bash
# Builds lo, installs it under PREFIX (default ~/.local) with the AOT caches the build trained
# (docs/building.md), and links PREFIX/bin/lo. Rerun after every update: a cache must come from
# the same JDK and the same jar.
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
# The command line (every command but serve) and the service (lo serve): two builds, one launcher.
cp -r cli/target/quarkus-app "$dest.new/app"
cp -r serve/target/quarkus-app "$dest.new/serve"
cp deploy/lo "$dest.new/bin/lo"
rm -rf "$dest" && mv "$dest.new" "$dest"
# The caches were trained on the build's own paths; train again at the installed paths (a cache
# records where its jar was), with the launcher's options.
deploy/aot-train.sh cli "$dest/app"
deploy/aot-train.sh serve "$dest/serve"
mkdir -p "$prefix/bin"
ln -sf "$dest/bin/lo" "$prefix/bin/lo"
echo "installed lo to $dest; $prefix/bin/lo links to it"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "add $prefix/bin to your PATH" ;; esac
