#!/usr/bin/env bash
# Makes sure a Docker Engine answers on /var/run/docker.sock. Idempotent: an engine that
# already answers is left alone. On a fresh machine (Debian 12, root, no systemd) it installs
# docker.io, the packages the test images are built from and the browser the page's tests
# drive (chromium, chromium-driver), then starts dockerd detached.
set -euo pipefail

readonly DOCKERD_LOG=${DOCKERD_LOG:-/var/log/dockerd.log}
readonly START_TIMEOUT_S=${ENGINE_START_TIMEOUT_S:-60}
# Debian package -> a file it ships, so we only call apt-get when something is missing.
readonly -A PACKAGES=(
  [docker.io]=/usr/sbin/dockerd
  [docker-registry]=/usr/bin/docker-registry
  [busybox-static]=/usr/bin/busybox
  [containerd]=/usr/bin/ctr
  [mkcert]=/usr/bin/mkcert
  [skopeo]=/usr/bin/skopeo
  [curl]=/usr/bin/curl
  [wrk]=/usr/bin/wrk
  [chromium]=/usr/bin/chromium
  [chromium-driver]=/usr/bin/chromedriver
)

log() { printf 'engine-up: %s\n' "$*" >&2; }

engine_answers() { docker info >/dev/null 2>&1; }

install_missing_packages() {
  local pkg missing=()
  for pkg in "${!PACKAGES[@]}"; do
    if [[ ! -x ${PACKAGES[$pkg]} ]] || ! dpkg -s "$pkg" >/dev/null 2>&1; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  if ((EUID != 0)); then
    log "missing packages ${missing[*]} and not root: install them or run as root"
    exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# By its pid file, not pgrep: procps may be missing on a fresh machine.
dockerd_running() {
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null) || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]]
}

start_dockerd() {
  if dockerd_running; then
    log "dockerd is running but not answering yet; waiting for it"
    return 0
  fi
  log "starting dockerd (log: $DOCKERD_LOG)"
  # setsid + nohup: dockerd must outlive this script and the CI step that ran it. It keeps no other
  # descriptor of ours: a lock file held by whoever ran this (flock) would stay locked while dockerd lives.
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null
  ) &
}

wait_for_engine() {
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until engine_answers; do
    if ((SECONDS >= deadline)); then
      log "docker engine did not answer within ${START_TIMEOUT_S}s; last lines of $DOCKERD_LOG:"
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 1
  done
}

main() {
  if command -v docker >/dev/null 2>&1 && engine_answers; then
    # Packages may still be missing on a machine where someone else started the engine.
    install_missing_packages
    log "engine already answering ($(docker info --format '{{.ServerVersion}}'))"
    exit 0
  fi
  install_missing_packages
  start_dockerd
  wait_for_engine
  log "engine up ($(docker info --format '{{.ServerVersion}}'))"
}

main "$@"
