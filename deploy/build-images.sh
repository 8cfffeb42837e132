#!/usr/bin/env bash
# Builds the images tests (and offline users) need, FROM scratch, out of Debian binaries:
#   lok8s.local/registry:2.8.2   docker-registry (distribution 2.8.2), registry:2 compatible
#   lok8s.local/test-busybox:1   static busybox with applet symlinks
#   lok8s.local/test-node:1      kind-like node: containerd + ctr + busybox
# Dockerfiles and static files live in cli/src/test/images/<name>/; this script stages host
# binaries into a copy of that directory and builds it with the legacy builder.
# An image is rebuilt only when the staged context changed: its sha256 is stored in the
# image label dev.lok8s.image.content. (Not dev.lok8s.test: image labels are inherited by
# containers, and test cleanup selects on dev.lok8s.test.)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT
readonly IMAGES_DIR=$REPO_ROOT/cli/src/test/images
readonly CONTENT_LABEL=dev.lok8s.image.content

log() { printf 'build-images: %s\n' "$*" >&2; }

require_file() {
  if [[ ! -e $1 ]]; then
    log "missing $1 (install its Debian package, e.g. run deploy/engine-up.sh)"
    exit 1
  fi
}

# copy_binary SRC ROOTFS DEST: copies SRC to ROOTFS/DEST plus every shared library ldd
# names, each at its own absolute path (the loader path is baked into the ELF header).
copy_binary() {
  local src=$1 rootfs=$2 dest=$3 lib
  require_file "$src"
  install -D -m 0755 "$src" "$rootfs$dest"
  while read -r lib; do
    install -D -m 0755 "$(readlink -f "$lib")" "$rootfs$lib"
  done < <(ldd "$src" 2>/dev/null | grep -o '/[^ ]*' || true)
}

# add_busybox ROOTFS: static busybox at /bin/busybox and a relative symlink per applet.
add_busybox() {
  local rootfs=$1 applet
  require_file /usr/bin/busybox
  install -D -m 0755 /usr/bin/busybox "$rootfs/bin/busybox"
  for applet in $(/usr/bin/busybox --list); do
    [[ $applet == busybox || -e $rootfs/bin/$applet ]] || ln -s busybox "$rootfs/bin/$applet"
  done
  mkdir -p "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
}

stage_registry() {
  local rootfs=$1/rootfs
  copy_binary /usr/bin/docker-registry "$rootfs" /bin/registry
  require_file /etc/ssl/certs/ca-certificates.crt
  # So a mirror can verify https upstreams.
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  mkdir -p "$rootfs/var/lib/registry" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
}

stage_test_busybox() {
  add_busybox "$1/rootfs"
}

stage_test_node() {
  local rootfs=$1/rootfs
  copy_binary /usr/bin/containerd "$rootfs" /usr/bin/containerd
  copy_binary /usr/bin/ctr "$rootfs" /usr/bin/ctr
  add_busybox "$rootfs"
  mkdir -p "$rootfs/etc/containerd/certs.d" "$rootfs/var/lib/containerd" "$rootfs/run"
}

content_hash() {
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$1" -cf - . | sha256sum | cut -d' ' -f1
}

# build_image TAG DIR STAGE_FN
build_image() {
  local tag=$1 dir=$2 stage=$3 ctx hash current out
  ctx=$(mktemp -d "${TMPDIR:-/tmp}/lo-image.XXXXXX")
  # shellcheck disable=SC2064 # expand now: ctx is local
  trap "rm -rf '$ctx'" RETURN
  cp -a "$IMAGES_DIR/$dir/." "$ctx/"
  mkdir -p "$ctx/rootfs"
  "$stage" "$ctx"
  hash=$(content_hash "$ctx")
  current=$(docker image inspect --format "{{index .Config.Labels \"$CONTENT_LABEL\"}}" "$tag" 2>/dev/null || true)
  if [[ $current == "$hash" ]]; then
    log "$tag up to date"
    return 0
  fi
  log "building $tag"
  if ! out=$(DOCKER_BUILDKIT=0 docker build --quiet --label "$CONTENT_LABEL=$hash" --tag "$tag" "$ctx" 2>&1); then
    printf '%s\n' "$out" >&2
    log "building $tag failed"
    exit 1
  fi
  log "built $tag ($(docker image inspect --format '{{.Id}}' "$tag"))"
}

main() {
  if ! docker info >/dev/null 2>&1; then
    log "docker engine does not answer; run deploy/engine-up.sh first"
    exit 1
  fi
  build_image lok8s.local/registry:2.8.2 registry stage_registry
  build_image lok8s.local/test-busybox:1 test-busybox stage_test_busybox
  build_image lok8s.local/test-node:1 test-node stage_test_node
}

main "$@"
