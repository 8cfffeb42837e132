#!/usr/bin/env bash
# `lo registry warm` beside the tools a user would compare it with, in one run, through the same
# empty pull-through mirror:
#   lo      the whole `lo registry warm` command (JVM start included), as users run it (deploy/lo)
#   skopeo  skopeo copy --src-tls-verify=false docker://<mirror>/<image> dir:<tmp>  (Debian's skopeo)
#   floor   curl of the manifest, then the blobs with 4 curls side by side, to /dev/null
#
#   bench/warm-bench.sh [ROUNDS] [LAYER_MB]   default 3 rounds, an image of 3 random layers of 30 MB
#   bench/warm-bench.sh --smoke               1 round, 3 layers of 1 MB: checks the bench itself works (CI)
#
# An "upstream" registry container (published on loopback, on a bench network) holds a bench-only
# image of random (incompressible) layers; `lo registry up` starts a project whose shared mirror
# points at it. Before every measurement the mirror and its volume are removed and started again
# empty (and lo gets a fresh log), so each tool fetches everything from the upstream through the
# mirror. The order of the tools turns each round. Besides wall time it reports each tool's CPU time
# (user+sys of the command and its children, from bash's `time`): on a machine shared with other work
# the wall times follow the load, the CPU times much less. Everything carries dev.lok8s.test=bench-warm and is
# removed at the end. Prints each time and a table of medians; docs/benchmarks.md keeps the latest.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
smoke=false
if [[ ${1:-} == --smoke ]]; then
  smoke=true
  shift
fi
rounds=${1:-3}
layer_mb=${2:-30}
if $smoke; then rounds=1 layer_mb=1; fi
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export LO_REGISTRY_IMAGE=${LO_REGISTRY_IMAGE:-lok8s.local/registry:2.8.2}
[[ -f $repo/cli/target/quarkus-app/quarkus-run.jar ]] || {
  echo "warm-bench: build first: ./mvnw -q package -DskipTests (cli/target/quarkus-app)" >&2
  exit 2
}
for tool in skopeo curl docker; do
  command -v "$tool" >/dev/null || { echo "warm-bench: $tool is not installed" >&2; exit 2; }
done
lo="$repo/deploy/lo"

label=dev.lok8s.test=bench-warm
net=lobench-warm-registries
upstream=lobench-warm-upstream
mirror=lobench-warm-lok8s-registry-io-docker
image_tag=""
work=""
cleanup() {
  docker ps -aq --filter "label=$label" | xargs -r docker rm -f >/dev/null
  docker volume ls -q --filter "label=$label" | xargs -r docker volume rm >/dev/null
  docker network ls -q --filter "label=$label" | xargs -r docker network rm >/dev/null
  [[ -z $image_tag ]] || docker rmi "$image_tag" >/dev/null 2>&1 || true
  docker rmi lobench-warm/layers:1 >/dev/null 2>&1 || true
  [[ -z $work ]] || rm -rf "$work"
}
trap cleanup EXIT
cleanup
work=$(mktemp -d)

export LO_EXTRA_LABELS=$label LO_NAME_PREFIX=lobench-warm- LO_MIRROR_WAIT=10s LO_REGISTRY_DISCOVERY=false

# the image: 3 layers of random bytes (incompressible, like real layers after gzip)
mkdir -p "$work/image"
for i in 1 2 3; do head -c "$((layer_mb * 1000 * 1000))" /dev/urandom >"$work/image/l$i"; done
printf 'FROM scratch\nCOPY l1 /l1\nCOPY l2 /l2\nCOPY l3 /l3\n' >"$work/image/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q --label "$label" -t lobench-warm/layers:1 "$work/image" >/dev/null 2>"$work/build.err" \
  || { cat "$work/build.err" >&2; exit 1; }
rm -f "$work"/image/l?

docker network create --subnet 10.213.96.0/24 --gateway 10.213.96.1 --ip-range 10.213.96.192/26 \
  --label dev.lok8s.managed-by=lo --label dev.lok8s.role=network --label dev.lok8s.scope=shared \
  --label "$label" "$net" >/dev/null
docker run -d --name "$upstream" --label "$label" --network "$net" --ip 10.213.96.150 \
  -p 127.0.0.1::5000 "$LO_REGISTRY_IMAGE" >/dev/null
port=$(docker port "$upstream" 5000/tcp | head -1 | sed 's/.*://')
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
image_tag=127.0.0.1:$port/bench/layers:1
docker tag lobench-warm/layers:1 "$image_tag"
docker push -q "$image_tag" >/dev/null

mkdir -p "$work/project/clusters/warm.bench"
cat >"$work/project/clusters/warm.bench/cluster.lok8s.yaml" <<YAML
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

# A fresh log and an empty mirror: remove the mirror and its volume, start it again, wait until it answers.
state=0
empty_mirror() {
  docker rm -f "$mirror" >/dev/null 2>&1 || true
  docker volume rm "$mirror-data" >/dev/null 2>&1 || true
  state=$((state + 1))
  export LO_STATE_DIR=$work/state-$state
  "$lo" registry up warm.bench >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }
  mirror_ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$mirror")
  for _ in $(seq 1 100); do curl -sf "http://$mirror_ip/v2/" >/dev/null && return 0; sleep 0.1; done
  echo "warm-bench: mirror $mirror at $mirror_ip does not answer" >&2
  exit 1
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }

# CPU (user+sys) of what it runs, appended to $work/cpu-<tool>
TIMEFORMAT='%U %S'
cpu() {
  local tool=$1
  shift
  { time "$@" 2>&3; } 3>&2 2>"$work/time.out"
  local rc=$?
  awk '{printf " %.2f", $1 + $2}' "$work/time.out" >>"$work/cpu-$tool"
  return $rc
}

run_lo() {
  local t0 out
  t0=$(now)
  out=$(cpu lo "$lo" registry warm warm.bench docker.io/bench/layers:1 -o json 2>"$work/lo.err") || {
    echo "warm-bench: lo registry warm failed: $out $(cat "$work/lo.err")" >&2
    exit 1
  }
  since "$t0"
  grep -q '"cached" *: *false' <<<"$out" || { echo "warm-bench: lo did not fetch: $out" >&2; exit 1; }
  # the run's own time (after start-up, the store and the engine lookup), for the notes
  grep -o '"millis" *: *[0-9]*' <<<"$out" | tail -1 | grep -o '[0-9]*$' >>"$work/lo-run-millis"
}

run_skopeo() {
  local t0
  rm -rf "$work/skopeo"
  t0=$(now)
  cpu skopeo skopeo copy -q --src-tls-verify=false "docker://$mirror_ip/bench/layers:1" "dir:$work/skopeo" >/dev/null
  since "$t0"
}

fetch_floor() {
  local manifest
  manifest=$(curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$mirror_ip/v2/bench/layers/manifests/1")
  grep -o 'sha256:[a-f0-9]\{64\}' <<<"$manifest" | sort -u |
    xargs -P 4 -I{} curl -sf -o /dev/null "http://$mirror_ip/v2/bench/layers/blobs/{}"
}

run_floor() {
  local t0
  t0=$(now)
  cpu floor fetch_floor
  since "$t0"
}

tools=(lo skopeo floor)
declare -A times
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); image: 3 random layers of ${layer_mb} MB;" \
  "$rounds round(s), an empty mirror before each measurement"
for ((r = 0; r < rounds; r++)); do
  line="round $((r + 1)):"
  for ((k = 0; k < ${#tools[@]}; k++)); do
    tool=${tools[(k + r) % ${#tools[@]}]}
    empty_mirror
    t=$("run_$tool")
    times[$tool]="${times[$tool]:-} $t"
    line+=" $tool ${t} s"
  done
  echo "$line"
done
echo "lo's warm alone (the run's own millis: the command less JVM and Quarkus start-up): $(awk '{printf "%.2f s ", $1 / 1000}' \
  "$work/lo-run-millis")"


median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
declare -A med
for tool in "${tools[@]}"; do med[$tool]=$(median <<<"${times[$tool]}"); done
echo
declare -A cpu_med
for tool in "${tools[@]}"; do cpu_med[$tool]=$(median <"$work/cpu-$tool"); done
echo "| through an empty mirror, $((3 * layer_mb)) MB image | median of $rounds (s) | runs (s) | vs skopeo | vs floor |"
echo "|---|---|---|---|---|"
for tool in "${tools[@]}"; do
  case $tool in
    lo) what='`lo registry warm` (whole command)' ;;
    skopeo) what='`skopeo copy` to dir:' ;;
    floor) what='curl floor (manifest, then 4 blobs side by side)' ;;
  esac
  awk -v w="$what" -v m="${med[$tool]}" -v s="${med[skopeo]}" -v f="${med[floor]}" -v runs="${times[$tool]# }" \
    'BEGIN {printf "| %s | %.2f | %s | %.2fx | %.2fx |\n", w, m, runs, m / s, m / f}'
done
echo
echo "| CPU time (user+sys) | median of $rounds (s) | runs (s) | vs skopeo |"
echo "|---|---|---|---|"
for tool in "${tools[@]}"; do
  awk -v w="$tool" -v c="${cpu_med[$tool]}" -v s="${cpu_med[skopeo]}" -v runs="$(sed 's/^ //' "$work/cpu-$tool")" \
    'BEGIN {printf "| %s | %.2f | %s | %.2fx |\n", w, c, runs, (s > 0) ? c / s : 0}'
done
