#!/usr/bin/env bash
# lo's main job on a fresh machine: a real provision of the sample project clusters/lok8s.dev.
#   deploy/demo.sh [DOMAIN]
# Starts (or reuses) the Docker Engine, builds lo and the offline registry image, provisions the
# project, then prints lo registry status and the run. Safe to rerun: a second provision
# changes nothing.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
domain=${1:-lok8s.dev}
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$repo"

deploy/engine-up.sh
deploy/build-images.sh
./mvnw -q -B package -DskipTests

# Without a route to a registry, registry:2.8.3 cannot be pulled: use the image built from
# Debian's docker-registry unless the user chose one.
if [[ -z "${LO_REGISTRY_IMAGE:-}" ]] && ! docker image inspect registry:2.8.3 >/dev/null 2>&1; then
  export LO_REGISTRY_IMAGE=lok8s.local/registry:2.8.2
  echo "demo: using the locally built registry image $LO_REGISTRY_IMAGE (LO_REGISTRY_IMAGE)"
fi
# kind is not packaged for Debian; without it, the repository's stand-in (containerd-only
# nodes, created the way kind creates them) shows the whole flow.
if [[ -z "${LO_KIND_PATH:-}" ]] && ! command -v kind >/dev/null 2>&1; then
  export LO_KIND_PATH=$repo/cli/src/test/kind/kind
  # its nodes run no Kubernetes API server to write the registry ConfigMaps into
  export LO_REGISTRY_DISCOVERY=false
  echo "demo: no kind on the PATH; using the stand-in $LO_KIND_PATH (containerd-only nodes)"
fi

deploy/lo provision "$domain"
deploy/lo registry status "$domain" || true
deploy/lo runs "$domain"
