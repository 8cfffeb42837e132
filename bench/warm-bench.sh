#!/usr/bin/env bash
# Throughput of `lo registry warm` through a pull-through mirror on this machine.
#   bench/warm-bench.sh [ROUNDS] [LAYER_MB]      (default 3 rounds, 3 layers of 40 MB)
# An "upstream" registry container (published on loopback, on a test network) holds a test-only
# image of random layers; `lo registry up` starts a project whose mirror points at it; each round
# warms the image into an empty mirror (the mirror and its volume are recreated between rounds),
# then warms it again (the already-cached path). Everything carries dev.lok8s.test=bench-warm and
# is removed at the end. Prints medians; docs/benchmarks.md keeps the latest.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-3}
layer_mb=${2:-40}
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export LO_REGISTRY_IMAGE=${LO_REGISTRY_IMAGE:-lok8s.local/registry:2.8.2}
cd "$repo"
[[ -f target/quarkus-app/quarkus-run.jar ]] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 2; }
lo="$repo/deploy/lo"

label=dev.lok8s.test=bench-warm
work=$(mktemp -d)
net=lobench-warm-registries
upstream=lobench-warm-upstream
image_tag=""
cleanup() {
  docker ps -aq --filter "label=$label" | xargs -r docker rm -f >/dev/null
  docker volume ls -q --filter "label=$label" | xargs -r docker volume rm >/dev/null
  docker network ls -q --filter "label=$label" | xargs -r docker network rm >/dev/null
  [[ -z $image_tag ]] || docker rmi "$image_tag" >/dev/null 2>&1 || true
  docker rmi lobench-warm/layers:1 >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cleanup; work=$(mktemp -d)

export LO_EXTRA_LABELS=$label LO_NAME_PREFIX=lobench-warm- LO_MIRROR_WAIT=10s

# the test image: 3 layers of random bytes (incompressible, like real layers after gzip)
mkdir -p "$work/image"
for i in 1 2 3; do head -c "$((layer_mb * 1000 * 1000))" /dev/urandom > "$work/image/l$i"; done
printf 'FROM scratch\nCOPY l1 /l1\nCOPY l2 /l2\nCOPY l3 /l3\n' > "$work/image/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q --label "$label" -t lobench-warm/layers:1 "$work/image" >/dev/null 2>&1

docker network create --subnet 10.213.96.0/24 --gateway 10.213.96.1 --ip-range 10.213.96.192/26 \
  --label dev.lok8s.managed-by=lo --label dev.lok8s.role=network --label dev.lok8s.scope=shared \
  --label "$label" "$net" >/dev/null
docker run -d --name "$upstream" --label "$label" --network "$net" --ip 10.213.96.150 \
  -p 127.0.0.1::5000 "$LO_REGISTRY_IMAGE" >/dev/null
port=$(docker port "$upstream" 5000/tcp | head -1 | sed 's/.*://')
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
image_tag=127.0.0.1:$port/bench/layers:1
docker tag lobench-warm/layers:1 "$image_tag"
docker push -q "$image_tag" >/dev/null

mkdir -p "$work/project/clusters/warm.bench"
cat > "$work/project/clusters/warm.bench/cluster.lok8s.yaml" <<YAML
apiVersion: cluster.lok8s.dev/v1beta1
kind: Lo
metadata:
  name: lobench-warm
spec:
  network:
    cidr: 10.213.97.0/24
  registries:
    shared:
      network:
        name: $net
        cidr: 10.213.96.0/24
    mirrors:
      - {name: io-docker, url: "http://10.213.96.150:5000"}
YAML
cd "$work/project"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['images'][0]['$1'] if d['images'] else 'FAILED')"; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), image 3 x ${layer_mb} MB random layers"
mbps=() cached_s=() wall=()
for r in $(seq 1 "$rounds"); do
  # a fresh log and an empty mirror each round (lo would otherwise know the image is there)
  export LO_STATE_DIR=$work/state-$r
  "$lo" registry up warm.bench >/dev/null 2>&1
  t0=$(date +%s.%N)
  out=$("$lo" registry warm warm.bench docker.io/bench/layers:1 -o json 2>/dev/null)
  wall+=("$(echo "$(date +%s.%N) - $t0" | bc)")
  bytes=$(field bytes <<<"$out") millis=$(field millis <<<"$out")
  [[ $bytes != FAILED ]] || { echo "warm failed: $out" >&2; exit 1; }
  mbps+=("$(echo "$bytes / 1000000 / ($millis / 1000)" | bc -l)")
  out=$("$lo" registry warm warm.bench docker.io/bench/layers:1 -o json 2>/dev/null)
  [[ $(field cached <<<"$out") == True ]] || { echo "second warm not cached: $out" >&2; exit 1; }
  cached_s+=("$(echo "$(field millis <<<"$out") / 1000" | bc -l)")
  printf 'round %d: %.1f MB in %.2f s = %.1f MB/s (command %.2f s); cached re-warm %.3f s\n' "$r" \
    "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$millis / 1000" | bc -l)" "${mbps[-1]}" "${wall[-1]}" "${cached_s[-1]}"
  docker rm -f lobench-warm-lok8s-registry-io-docker >/dev/null
  docker volume rm lobench-warm-lok8s-registry-io-docker-data >/dev/null
done
printf 'warm through a mirror: %.1f MB/s median of %d (image fetch only); whole command %.2f s; cached re-warm %.3f s\n' \
  "$(printf '%s\n' "${mbps[@]}" | median)" "$rounds" "$(printf '%s\n' "${wall[@]}" | median)" \
  "$(printf '%s\n' "${cached_s[@]}" | median)"
