#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of the PostgreSQL store:
#   deploy/postgres-up.sh [start]   install (if missing), create (once) and start the test cluster;
#                                   prints LO_TEST_PG_URL/USER/PASSWORD/STARTED lines on stdout
#   deploy/postgres-up.sh stop      stop it (fast shutdown); a stopped server is fine
#   deploy/postgres-up.sh kill      stop it at once (immediate shutdown: what a crash looks like to clients)
# Idempotent: a server that already answers is left alone. It listens on 127.0.0.1 only, on a
# test port, with a password; its data directory is under LO_TEST_PG_DIR. Debian's PostgreSQL
# refuses to run as root, so as root the cluster belongs to the `postgres` system user.
# No container image: the server comes from Debian's postgresql-15 package.
# The data directory is trusted only when the cluster's owner made it: an existing LO_TEST_PG_DIR
# that is a symbolic link, belongs to another user or is not mode 0700 is refused (the default sits
# in the world-writable /var/tmp, where anyone could prepare it with links to files of theirs), and
# the password file is created exclusively (noclobber, umask 077), mode 0600.
set -euo pipefail

readonly PG_VERSION=${LO_TEST_PG_VERSION:-15}
readonly PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
readonly PG_DIR=${LO_TEST_PG_DIR:-/var/tmp/lo-test-postgres}
readonly PG_PORT=${LO_TEST_PG_PORT:-55432}
readonly PG_USER=lo
readonly START_TIMEOUT_S=${LO_TEST_PG_START_TIMEOUT_S:-60}

log() { printf 'postgres-up: %s\n' "$*" >&2; }

# Runs a command as the cluster's owner: the postgres system user when we are root.
as_owner() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_if_missing() {
  if [[ -x $PG_BIN/postgres && -x $PG_BIN/initdb ]]; then
    return 0
  fi
  if ((EUID != 0)); then
    log "PostgreSQL $PG_VERSION is not installed ($PG_BIN) and we are not root: apt-get install postgresql-$PG_VERSION"
    exit 1
  fi
  log "installing postgresql-$PG_VERSION"
  export DEBIAN_FRONTEND=noninteractive
  # Debian's package would create and start a "main" cluster on 5432: the tests do not need one.
  mkdir -p /etc/postgresql-common/createcluster.d
  printf 'create_main_cluster = false\n' >/etc/postgresql-common/createcluster.d/lo-test.conf
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "postgresql-$PG_VERSION" >&2
}

# The user the cluster belongs to.
owner_name() {
  if ((EUID == 0)); then printf 'postgres'; else id -un; fi
}

refuse_dir() {
  log "refusing $PG_DIR: $1; someone else may have prepared it: remove it (if it is not yours, find out who made it) or set LO_TEST_PG_DIR to a new directory"
  exit 1
}

# An existing data directory must be the owner's own: a real directory, not a link, mode 0700; and
# the password file in it, if any, a regular file of the owner with one link, mode 0600.
check_dir() {
  [[ -e $PG_DIR || -L $PG_DIR ]] || return 0
  [[ ! -L $PG_DIR ]] || refuse_dir "it is a symbolic link"
  [[ -d $PG_DIR ]] || refuse_dir "it is not a directory"
  local owner mode
  owner=$(stat -c %U "$PG_DIR")
  mode=$(stat -c %a "$PG_DIR")
  [[ $owner == "$(owner_name)" ]] || refuse_dir "it belongs to $owner, not to $(owner_name)"
  [[ $mode == 700 ]] || refuse_dir "its mode is $mode, not 700"
  local pw=$PG_DIR/password
  [[ -e $pw || -L $pw ]] || return 0
  [[ ! -L $pw && -f $pw ]] || refuse_dir "its password file is not a regular file"
  [[ $(stat -c %U "$pw") == "$(owner_name)" ]] || refuse_dir "its password file belongs to $(stat -c %U "$pw")"
  [[ $(stat -c %h "$pw") == 1 ]] || refuse_dir "its password file has $(stat -c %h "$pw") links (another name reads it)"
  [[ $(stat -c %a "$pw") == 600 ]] || refuse_dir "its password file's mode is $(stat -c %a "$pw"), not 600"
}

answers() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

init_cluster() {
  if [[ -f $PG_DIR/data/PG_VERSION ]]; then
    return 0
  fi
  log "creating a test cluster in $PG_DIR"
  if [[ ! -e $PG_DIR ]]; then
    mkdir -p "$(dirname "$PG_DIR")"
    # not -p: made here and now, or refused below when someone else made it first
    mkdir -m 0700 "$PG_DIR" || refuse_dir "it could not be created (made by someone else meanwhile?)"
    if ((EUID == 0)); then
      chown postgres: "$PG_DIR"
    fi
  fi
  check_dir
  # A fresh random password per cluster, readable only by its owner (and root); noclobber: a file
  # already there (a link someone planted) is not written through.
  as_owner bash -c 'umask 077; set -o noclobber; head -c 24 /dev/urandom | base64 | tr -dc "A-Za-z0-9" >"$1/password"' \
    _ "$PG_DIR" || refuse_dir "its password file could not be created exclusively"
  chmod 0600 "$PG_DIR/password"
  check_dir
  as_owner bash -c 'umask 077; exec "$@" >"$0/initdb.log" 2>&1' "$PG_DIR" "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" \
    --pwfile="$PG_DIR/password" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 || {
    log "initdb failed:"
    cat "$PG_DIR/initdb.log" >&2
    exit 1
  }
  as_owner mkdir -p "$PG_DIR/run"
}

start() {
  check_dir
  install_if_missing
  local started=0
  if answers; then
    log "already answering on 127.0.0.1:$PG_PORT"
  else
    started=1
    init_cluster
    log "starting on 127.0.0.1:$PG_PORT (log: $PG_DIR/server.log)"
    # fsync off: a throwaway cluster whose host does not crash under it; the tests kill clients and
    # stop the server, never the machine. Commits stay synchronous: a commit's WAL reaches the kernel
    # before the client is answered, so a server killed by a test (stop -m immediate) keeps every
    # transaction it acknowledged; with synchronous_commit=off the last ~0.6 s of acknowledged commits
    # were lost, and a run whose RunStarted was among them could not be resumed (TeamStoreIT).
    # The server keeps no other descriptor of ours: a lock held by whoever ran this (flock) would
    # otherwise stay locked as long as the server lives.
    (
      for fd in /proc/self/fd/*; do
        fd=${fd##*/}
        if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
      done
      as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t "$START_TIMEOUT_S" \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR/run -c fsync=off -c full_page_writes=off -c max_connections=200" \
        start >&2
    ) || {
      log "the server did not start within ${START_TIMEOUT_S}s; last lines of $PG_DIR/server.log:"
      tail -n 20 "$PG_DIR/server.log" >&2 || true
      exit 1
    }
  fi
  printf 'LO_TEST_PG_URL=jdbc:postgresql://127.0.0.1:%s/postgres\n' "$PG_PORT"
  printf 'LO_TEST_PG_USER=%s\n' "$PG_USER"
  printf 'LO_TEST_PG_PASSWORD=%s\n' "$(cat "$PG_DIR/password")"
  # 1 when this call started it (deploy/test.sh then stops it at the end)
  printf 'LO_TEST_PG_STARTED=%s\n' "$started"
}

stop() {
  local mode=$1
  check_dir
  if [[ ! -f $PG_DIR/data/postmaster.pid ]]; then
    log "not running"
    return 0
  fi
  as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "$mode" -w -t 60 stop >&2
}

case ${1:-start} in
  start) start ;;
  stop) stop fast ;;
  kill) stop immediate ;;
  *)
    log "usage: $0 [start|stop|kill]"
    exit 2
    ;;
esac
