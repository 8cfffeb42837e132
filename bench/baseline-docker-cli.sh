#!/usr/bin/env bash
# What a person would do by hand with the docker CLI for the default shared layout: two
# networks, build + cache on the project network, four pull-through mirrors on the shared
# network, each with its config and its own volume; one command after another.
#   bench/baseline-docker-cli.sh up|down  [PREFIX]
# Uses test-only names, subnets and the dev.lok8s.test label, never a user's resources.
set -euo pipefail
action=${1:-up}
p=${2:-lobench-cli}
image=${LO_REGISTRY_IMAGE:-lok8s.local/registry:2.8.2}
project_net=$p-project shared_net=$p-registries
project_cidr=${BENCH_PROJECT_CIDR:-10.213.90.0/24} shared_cidr=${BENCH_SHARED_CIDR:-10.213.91.0/24}
pbase=${project_cidr%.0/24} sbase=${shared_cidr%.0/24}
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

case "$action" in
  up)
    docker network inspect "$project_net" >/dev/null 2>&1 ||
      docker network create --label "$label" --subnet "$project_cidr" "$project_net" >/dev/null
    docker network inspect "$shared_net" >/dev/null 2>&1 ||
      docker network create --label "$label" --subnet "$shared_cidr" "$shared_net" >/dev/null
    for spec in build:101 cache:102; do
      c=$p-registry-${spec%%:*}
      docker inspect "$c" >/dev/null 2>&1 || registry "$c" "$project_net" "$pbase.${spec##*:}"
    done
    i=2
    # Upstreams on a closed loopback port of the container itself: nothing leaves the machine.
    for m in m1=http://127.0.0.1:9001 m2=http://127.0.0.1:9002 m3=http://127.0.0.1:9003 m4=http://127.0.0.1:9004; do
      c=$p-mirror-${m%%=*}
      docker inspect "$c" >/dev/null 2>&1 || registry "$c" "$shared_net" "$sbase.$i" "${m#*=}"
      i=$((i + 1))
    done
    ;;
  down)
    docker ps -aq --filter "label=$label" --filter "name=$p-" | xargs -r docker rm -f >/dev/null
    docker volume ls -q --filter "label=$label" | grep "^$p-" | xargs -r docker volume rm >/dev/null || true
    docker network rm "$project_net" "$shared_net" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 up|down [PREFIX]" >&2; exit 2 ;;
esac
