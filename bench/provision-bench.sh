#!/usr/bin/env bash
# Side-by-side benchmark of lo against the docker CLI, for the default shared layout (project
# network, shared network, build, cache, N mirrors), with reachable upstreams: one upstream registry
# container per mirror on the shared network, so the mirrors answer as they do online, and lo's own
# upstream checks (from the host) reach them as they reach a real upstream.
#   bench/provision-bench.sh [ROUNDS]        (default 5)
#   bench/provision-bench.sh --smoke         (one round, one mirror, the checkout's deploy/lo: checks the
#                                             bench still runs; BenchSmokeIT runs it in the test suite)
# Measures, alternating in each round: the docker CLI by hand (one command after another), the
# floor (every registry's docker create/cp/start at once), lo registry up (cold, then again with
# everything in place), lo registry status, lo --help; then 1 / 4 / 16 mirrors. Prints a markdown
# table of medians (docs/benchmarks.md keeps the latest) with lo's own in-process run time next to
# the wall, and each lo command's CPU time (user+sys, which a loaded machine inflates less than the
# wall) and peak RSS (GNU time, else VmHWM polled).
# Env: BENCH_LO (the lo to measure; default: installed with its AOT caches into a temp prefix by
# deploy/install.sh, or the checkout's deploy/lo for --smoke), LO_SKIP_BUILD=1 (install the current build).
# Test-only names (lobench-*), subnets 10.213.90-93.0/24 and the dev.lok8s.test=bench label; the
# upstreams (lobench-upstream-N, 10.213.93.201-216) and the shared network carry
# dev.lok8s.test=bench-upstream and are removed at the end.
# Nothing leaves the machine.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
smoke=false
if [[ "${1:-}" == --smoke ]]; then
  smoke=true
  shift
fi
rounds=${1:-5}
$smoke && rounds=1
export JAVA_HOME=${LO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export LO_REGISTRY_IMAGE=${LO_REGISTRY_IMAGE:-lok8s.local/registry:2.8.2}
cd "$repo"
deploy/engine-up.sh >/dev/null
deploy/build-images.sh >/dev/null

shared=lobench-shared shared_cidr=10.213.93.0/24 upstream_base=10.213.93.2 max_mirrors=16
work=$(mktemp -d)
cleanup_docker() {
  docker ps -aq --filter label=dev.lok8s.test=bench | xargs -r docker rm -f >/dev/null
  docker volume ls -q --filter label=dev.lok8s.test=bench | xargs -r docker volume rm >/dev/null
  docker network ls -q --filter label=dev.lok8s.test=bench | xargs -r docker network rm >/dev/null
}
cleanup_all() {
  cleanup_docker
  docker ps -aq --filter label=dev.lok8s.test=bench-upstream | xargs -r docker rm -f >/dev/null
  docker network rm "$shared" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup_all EXIT
cleanup_all
mkdir -p "$work"

# The upstreams: one empty registry per mirror on the shared network, at its own fixed address
# (10.213.93.201 for mirror 1, ... .216 for mirror 16), which both the CLI's and lo's mirrors use. Each
# mirror needs its own upstream host (containerd keys hosts.toml by it), and the host must reach it as
# the mirrors do: lo checks every mirror's upstream from the host (registry status, a re-run), and an
# address only Docker's DNS knows would fail there at once and show every mirror offline.
docker network create --label dev.lok8s.test=bench-upstream --subnet "$shared_cidr" "$shared" >/dev/null
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: :80\n' > "$work/up.yml"
upstreams=$max_mirrors
$smoke && upstreams=1
for i in $(seq 1 "$upstreams"); do
  (docker create --name "lobench-upstream-$i" --label dev.lok8s.test=bench-upstream --network "$shared" \
     --ip "$upstream_base$(printf %02d "$i")" "$LO_REGISTRY_IMAGE" >/dev/null
   docker cp "$work/up.yml" "lobench-upstream-$i:/etc/docker/registry/config.yml"
   docker start "lobench-upstream-$i" >/dev/null) &
done
wait
for i in $(seq 1 "$upstreams"); do # bounded: each answers from the host before anything is timed
  ip=$upstream_base$(printf %02d "$i")
  for _ in $(seq 1 100); do curl -fsS -o /dev/null --max-time 1 "http://$ip/v2/" && break; sleep 0.1; done
  curl -fsS -o /dev/null --max-time 2 "http://$ip/v2/" || { echo "upstream $ip does not answer from the host" >&2; exit 1; }
done
export BENCH_SHARED_NET=$shared BENCH_SHARED_CIDR=$shared_cidr BENCH_UPSTREAM="http://$upstream_base%02d"

# lo installed with its AOT cache, the way users run it (the smoke uses the build's own caches).
if [[ -n "${BENCH_LO:-}" ]]; then
  lo=$BENCH_LO
elif $smoke; then
  lo=$repo/deploy/lo
else
  PREFIX=$work/install LO_SKIP_BUILD=${LO_SKIP_BUILD:-0} deploy/install.sh >/dev/null
  lo=$work/install/bin/lo
fi
export LO_STATE_DIR=$work/state LO_EXTRA_LABELS=dev.lok8s.test=bench LO_NAME_PREFIX=lobench- LO_MIRROR_WAIT=5s

spec() { # mirrors-count
  local n=$1 dir=$work/project/clusters/bench.example
  mkdir -p "$dir"
  {
    printf 'apiVersion: cluster.lok8s.dev/v1beta1\nkind: Lo\nmetadata:\n  name: lobench-lo\nspec:\n'
    printf '  network:\n    cidr: 10.213.92.0/24\n  registries:\n    shared:\n      network:\n'
    printf '        name: %s\n        cidr: %s\n    mirrors:\n' "$shared" "$shared_cidr"
    for i in $(seq 1 "$n"); do printf '      - {name: m%s, url: "http://%s%02d"}\n' "$i" "$upstream_base" "$i"; done
  } > "$dir/cluster.lok8s.yaml"
}

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
med() { printf '%s\n' "$@" | median; }

# Runs lo with ARGS in the project directory, stdout to $work/lo.out; records wall, CPU (user+sys) and
# peak RSS (KiB) of the command under KEY; fails loudly.
declare -A wall inproc cpu rss
lo_timed() { # key args...
  local key=$1 code=0 w u s m hwm=0 pid h start
  shift
  if [[ -x /usr/bin/time ]]; then
    (cd "$work/project" && /usr/bin/time -o "$work/time.out" -f '%e %U %S %M' "$lo" "$@" >"$work/lo.out" 2>"$work/lo.err") || code=$?
    read -r w u s m < <(tail -1 "$work/time.out")
  else # no GNU time: wall from date, peak RSS from VmHWM polled (the launcher execs java), no CPU
    start=$(now)
    (cd "$work/project" && exec "$lo" "$@" >"$work/lo.out" 2>"$work/lo.err") &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      h=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      (( ${h:-0} > hwm )) && hwm=$h
      sleep 0.01
    done
    wait "$pid" || code=$?
    w=$(elapsed "$start") u=- s=- m=$hwm
  fi
  if ((code != 0)); then
    cat "$work/lo.err" >&2; echo "lo $* failed (exit $code)" >&2; exit 1
  fi
  wall[$key]+=" $w"
  [[ $u == - ]] || cpu[$key]+=" $(echo "$u + $s" | bc)"
  rss[$key]+=" $m"
}

# lo registry up, timed under KEY, with the run's own duration (s, from its JSON report).
lo_up() { # key
  lo_timed "$1" registry up bench.example -o json
  inproc[$1]+=" $(tr -d ' \n' <"$work/lo.out" | sed -n 's/.*"millis":\([0-9]*\).*/\1/p' | awk '{printf "%.3f\n", $1 / 1000}')"
}

hand() { bench/baseline-docker-cli.sh "$@" lobench-cli; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), Docker $(docker version -f '{{.Server.Version}}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$work/project" 2>/dev/null || mkdir -p "$work/project"; cd "$work/project" && "$lo" runs >/dev/null 2>&1) || true # the store exists before timing

run_series() { # mirrors
  local n=$1 r t
  spec "$n"
  export BENCH_MIRRORS=$n
  for r in $(seq 1 "$rounds"); do
    t=$(now); hand up; wall[hand_cold_$n]+=" $(elapsed "$t")"
    t=$(now); hand up; wall[hand_warm_$n]+=" $(elapsed "$t")"
    hand down
    t=$(now); hand floor; wall[floor_$n]+=" $(elapsed "$t")"
    hand down
    lo_up "lo_cold_$n"
    lo_up "lo_warm_$n"
    if [[ $n == "$first" ]]; then
      lo_timed "status_$n" registry status bench.example
      if grep -q 'offline' "$work/lo.out"; then # what a user with a reachable upstream sees: no mirror offline
        cat "$work/lo.out" >&2; echo "a mirror shows offline: its upstream does not answer from the host" >&2; exit 1
      fi
      lo_timed help --help
    fi
    cleanup_docker
  done
}

series=(4 1 16)
$smoke && series=(1)
first=${series[0]}
for n in "${series[@]}"; do run_series "$n"; done

m() { med ${wall[$1]}; }
mi() { med ${inproc[$1]}; }
mc() { [[ -n "${cpu[$1]:-}" ]] && printf '%.2f s' "$(med ${cpu[$1]})" || printf -- '-'; }
mr() { printf '%.0f MiB' "$(echo "$(med ${rss[$1]}) / 1024" | bc -l)"; }
printf '\nrun of %s UTC, %d rounds, load after: %s\n\n' "$(date -u '+%Y-%m-%d %H:%M')" "$rounds" "$(cut -d' ' -f1-3 /proc/loadavg)"
f=$first
printf '| what (%d mirrors) | docker CLI by hand | floor (all at once) | lo, wall | lo, in-process run | lo / by hand | lo, CPU | lo, peak RSS |\n|---|---|---|---|---|---|---|---|\n' "$f"
printf '| cold: project network + %d registries | %.2f s | %.2f s | %.2f s | %.2f s | %.2f | %s | %s |\n' "$((f + 2))" \
  "$(m hand_cold_$f)" "$(m floor_$f)" "$(m lo_cold_$f)" "$(mi lo_cold_$f)" "$(echo "$(m lo_cold_$f) / $(m hand_cold_$f)" | bc -l)" \
  "$(mc lo_cold_$f)" "$(mr lo_cold_$f)"
printf '| again, everything in place | %.2f s (inspect) | | %.2f s | %.2f s | | %s | %s |\n' \
  "$(m hand_warm_$f)" "$(m lo_warm_$f)" "$(mi lo_warm_$f)" "$(mc lo_warm_$f)" "$(mr lo_warm_$f)"
printf '| `lo registry status` | | | %.2f s | | | %s | %s |\n' "$(m status_$f)" "$(mc status_$f)" "$(mr status_$f)"
printf '| `lo --help` (start-up alone) | | | %.2f s | | | %s | %s |\n' "$(m help)" "$(mc help)" "$(mr help)"
printf '\n| mirrors | by hand, cold | floor | lo cold, wall | lo cold, in-process | lo again, wall | lo again, in-process |\n|---|---|---|---|---|---|---|\n'
for n in $(printf '%s\n' "${series[@]}" | sort -n); do
  printf '| %d | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s |\n' "$n" "$(m hand_cold_$n)" "$(m floor_$n)" \
    "$(m lo_cold_$n)" "$(mi lo_cold_$n)" "$(m lo_warm_$n)" "$(mi lo_warm_$n)"
done
