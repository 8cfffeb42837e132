#!/usr/bin/env bash
# Side-by-side benchmark of lo against the docker CLI by hand, for the default shared layout
# (2 networks, build, cache, 4 mirrors). Prints medians; docs/benchmarks.md keeps the latest.
#   bench/provision-bench.sh [ROUNDS]        (default 5)
# Test-only names, subnets (10.213.90-95.0/24) and the dev.lok8s.test=bench label; mirrors
# point at a closed loopback port inside their own container, so nothing leaves the machine.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-5}
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export LO_REGISTRY_IMAGE=${LO_REGISTRY_IMAGE:-lok8s.local/registry:2.8.2}
cd "$repo"
deploy/engine-up.sh >/dev/null
deploy/build-images.sh >/dev/null

work=$(mktemp -d)
cleanup_docker() {
  docker ps -aq --filter label=dev.lok8s.test=bench | xargs -r docker rm -f >/dev/null
  docker volume ls -q --filter label=dev.lok8s.test=bench | xargs -r docker volume rm >/dev/null
  docker network ls -q --filter label=dev.lok8s.test=bench | xargs -r docker network rm >/dev/null
}
trap 'cleanup_docker; rm -rf "$work"' EXIT
cleanup_docker

# lo installed with its AOT cache, the way users run it.
PREFIX=$work/install LO_SKIP_BUILD=${LO_SKIP_BUILD:-0} deploy/install.sh >/dev/null
lo=$work/install/bin/lo
export LO_STATE_DIR=$work/state LO_EXTRA_LABELS=dev.lok8s.test=bench LO_NAME_PREFIX=lobench- LO_MIRROR_WAIT=1s

spec() { # mirrors-count
  local n=$1 dir=$work/project/clusters/bench.example
  mkdir -p "$dir"
  {
    printf 'apiVersion: cluster.lok8s.dev/v1beta1\nkind: Lo\nmetadata:\n  name: lobench-lo\nspec:\n'
    printf '  network:\n    cidr: 10.213.92.0/24\n  registries:\n    shared:\n      network:\n'
    printf '        name: lobench-lo-registries\n        cidr: 10.213.93.0/24\n    mirrors:\n'
    for i in $(seq 1 "$n"); do printf '      - {name: m%s, url: "http://127.0.0.1:90%02d"}\n' "$i" "$i"; done
  } > "$dir/cluster.lok8s.yaml"
}

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rss_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

lo_up() { (cd "$work/project" && "$lo" registry up bench.example >/dev/null 2>&1); }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(docker version -f '{{.Server.Version}}') engine"
spec 4
base_cold=() lo_cold=() ratio=() lo_warm=() base_warm=()
for r in $(seq 1 "$rounds"); do
  t=$(now); bench/baseline-docker-cli.sh up lobench-cli; base_cold+=("$(elapsed "$t")")
  t=$(now); bench/baseline-docker-cli.sh up lobench-cli; base_warm+=("$(elapsed "$t")")
  bench/baseline-docker-cli.sh down lobench-cli
  t=$(now); lo_up; lo_cold+=("$(elapsed "$t")")
  t=$(now); lo_up; lo_warm+=("$(elapsed "$t")")
  cleanup_docker
  ratio+=("$(echo "${lo_cold[-1]} / ${base_cold[-1]}" | bc -l)")
done
printf 'cold, registries+networks: docker CLI %.2f s, lo %.2f s, ratio lo/CLI %.2f (median of %d pairs)\n' \
  "$(printf '%s\n' "${base_cold[@]}" | median)" "$(printf '%s\n' "${lo_cold[@]}" | median)" \
  "$(printf '%s\n' "${ratio[@]}" | median)" "$rounds"
printf 'everything in place: docker CLI %.2f s, lo %.2f s\n' \
  "$(printf '%s\n' "${base_warm[@]}" | median)" "$(printf '%s\n' "${lo_warm[@]}" | median)"

lo_up
status=() help=()
for r in $(seq 1 "$rounds"); do
  t=$(now); (cd "$work/project" && "$lo" registry status bench.example >/dev/null 2>&1) || true; status+=("$(elapsed "$t")")
  t=$(now); "$lo" --help >/dev/null; help+=("$(elapsed "$t")")
done
printf 'lo registry status: %.2f s; lo --help: %.2f s (cold JVM, AOT cache; medians)\n' \
  "$(printf '%s\n' "${status[@]}" | median)" "$(printf '%s\n' "${help[@]}" | median)"
cleanup_docker
printf 'peak RSS of a cold lo registry up: %s KB\n' "$(cd "$work/project" && rss_kb "$lo" registry up bench.example)"
cleanup_docker

for n in 1 4 16; do
  spec "$n"
  times=()
  for r in $(seq 1 "$rounds"); do
    t=$(now); lo_up; times+=("$(elapsed "$t")"); cleanup_docker
  done
  printf 'cold lo registry up with %2d mirrors: %.2f s\n' "$n" "$(printf '%s\n' "${times[@]}" | median)"
done
