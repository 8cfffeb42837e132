#!/usr/bin/env bash
# What a person would do by hand with the docker CLI for the default shared layout: build + cache
# on a project network, N pull-through mirrors on the shared network, each with its config and its
# own volume; one command after another (up), or every registry at once (floor: the engine's own
# speed, what no tool driving the same engine can beat).
#   bench/baseline-docker-cli.sh up|floor|down  [PREFIX]
#   bench/baseline-docker-cli.sh --smoke        (one mirror, its own prefix and subnets 10.213.94-95.0/24: up, up
#                                                again, down, floor, down, each timed; checks the baseline still
#                                                runs; BenchSmokeIT runs it in the test suite)
# Environment: BENCH_SHARED_NET (an existing shared network to use; else PREFIX-registries is made),
# BENCH_UPSTREAM (the mirrors' remote URL, a printf format given the mirror's number, e.g.
# http://10.213.93.2%02d for one upstream per mirror; default a closed loopback port), BENCH_MIRRORS (default 4),
# BENCH_PROJECT_CIDR, BENCH_SHARED_CIDR.
# Uses test-only names, subnets and the dev.lok8s.test label, never a user's resources.
set -euo pipefail
if [[ "${1:-}" == --smoke ]]; then
  self=$(readlink -f "${BASH_SOURCE[0]}")
  export BENCH_MIRRORS=1 BENCH_PROJECT_CIDR=10.213.94.0/24 BENCH_SHARED_CIDR=10.213.95.0/24
  unset BENCH_SHARED_NET BENCH_UPSTREAM
  trap '"$self" down lobench-smoke' EXIT
  "$self" down lobench-smoke
  echo "| step (1 mirror, 3 registries) | wall |"
  echo "|---|---|"
  for step in "up:up" "up again, everything in place:up" "down:down" "floor:floor" "down:down"; do
    start=$(date +%s%N)
    "$self" "${step#*:}" lobench-smoke
    printf '| %s | %.2f s |\n' "${step%:*}" "$(( $(date +%s%N) - start ))e-9"
  done
  exit 0
fi
action=${1:-up}
p=${2:-lobench-cli}
image=${LO_REGISTRY_IMAGE:-lok8s.local/registry:2.8.2}
project_net=$p-project shared_net=${BENCH_SHARED_NET:-$p-registries}
project_cidr=${BENCH_PROJECT_CIDR:-10.213.90.0/24} shared_cidr=${BENCH_SHARED_CIDR:-10.213.91.0/24}
pbase=${project_cidr%.0/24} sbase=${shared_cidr%.0/24}
mirrors=${BENCH_MIRRORS:-4}
upstream=${BENCH_UPSTREAM:-}
label=dev.lok8s.test=bench
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

config() { # name [remote]
  {
    printf 'version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n'
    printf '  delete:\n    enabled: true\nhttp:\n  addr: :80\n'
    if [[ -n "${2:-}" ]]; then printf 'proxy:\n  remoteurl: %s\n' "$2"; fi
  } > "$work/$1.yml"
}

registry() { # container network ip [remote]
  local c=$1 net=$2 ip=$3 remote=${4:-}
  config "$c" "$remote"
  docker volume create --label "$label" "$c-data" >/dev/null
  docker create --name "$c" --label "$label" --network "$net" --ip "$ip" \
    --restart unless-stopped -v "$c-data:/var/lib/registry" "$image" >/dev/null
  docker cp "$work/$c.yml" "$c:/etc/docker/registry/config.yml"
  docker start "$c" >/dev/null
}

# container network ip [remote], one per line
registries() {
  printf '%s %s %s\n' "$p-registry-build" "$project_net" "$pbase.101" "$p-registry-cache" "$project_net" "$pbase.102"
  for i in $(seq 1 "$mirrors"); do
    # Without an upstream: a closed loopback port of the container itself, nothing leaves the machine.
    # shellcheck disable=SC2059 # BENCH_UPSTREAM is a format on purpose
    printf '%s %s %s %s\n' "$p-mirror-m$i" "$shared_net" "$sbase.$((i + 1))" "$(printf "${upstream:-http://127.0.0.1:90%02d}" "$i")"
  done
}

networks() {
  docker network inspect "$project_net" >/dev/null 2>&1 ||
    docker network create --label "$label" --subnet "$project_cidr" "$project_net" >/dev/null
  docker network inspect "$shared_net" >/dev/null 2>&1 ||
    docker network create --label "$label" --subnet "$shared_cidr" "$shared_net" >/dev/null
}

case "$action" in
  up)
    networks
    while read -r c net ip remote; do
      docker inspect "$c" >/dev/null 2>&1 || registry "$c" "$net" "$ip" "$remote"
    done < <(registries)
    ;;
  floor)
    networks
    pids=()
    while read -r c net ip remote; do
      registry "$c" "$net" "$ip" "$remote" & pids+=($!)
    done < <(registries)
    for pid in "${pids[@]}"; do wait "$pid"; done
    ;;
  down)
    docker ps -aq --filter "label=$label" --filter "name=$p-" | xargs -r docker rm -f >/dev/null
    docker volume ls -q --filter "label=$label" | grep "^$p-" | xargs -r docker volume rm >/dev/null || true
    docker network rm "$project_net" >/dev/null 2>&1 || true
    [[ -n "${BENCH_SHARED_NET:-}" ]] || docker network rm "$shared_net" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 up|floor|down [PREFIX]" >&2; exit 2 ;;
esac
