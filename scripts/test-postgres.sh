#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the cloud store's tests: Debian's postgresql package, a new cluster in a
# temporary folder, listening on a free port of 127.0.0.1 only, with a password user (scram-sha-256).
# Run as root, the server runs as the postgres user; run as another user, it runs as that user.
#
#   scripts/test-postgres.sh start        start one; prints url=, user=, passwordFile=, dir=
#   scripts/test-postgres.sh stop <dir>   stop the cluster started in <dir> and delete <dir>
#
# Needs the Debian package postgresql; .ci/run installs it.
set -euo pipefail

say() { printf 'test-postgres: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]] || die "PostgreSQL is not installed: apt-get install postgresql"
  printf '%s' "$d"
}

# Runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin dir port password
  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/outpost-postgres.XXXXXX)
  port=$(free_port)
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$password" > "$dir/password"
  chmod 600 "$dir/password"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "no postgres user: apt-get install postgresql"
    chmod 755 "$dir"
    cp "$dir/password" "$dir/.pw-init" && chown postgres "$dir/.pw-init"
    mkdir "$dir/data" "$dir/socket" && chown postgres "$dir/data" "$dir/socket"
  else
    cp "$dir/password" "$dir/.pw-init"
    mkdir "$dir/data" "$dir/socket"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U outpost --pwfile="$dir/.pw-init" -A scram-sha-256 \
    --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  rm -f "$dir/.pw-init"
  if [[ $(id -u) -eq 0 ]]; then touch "$dir/server.log" && chown postgres "$dir/server.log"; fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; die "the server did not start"; }
  printf 'url=jdbc:postgresql://127.0.0.1:%s/postgres\nuser=outpost\npasswordFile=%s\ndir=%s\n' \
    "$port" "$dir/password" "$dir"
}

stop() {
  local dir=${1:?usage: test-postgres.sh stop <dir>} bin
  [[ "$dir" == /tmp/outpost-postgres.* ]] || die "not a directory this script made: $dir"
  bin=$(bin_dir)
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || say "the server in $dir did not stop cleanly"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) die "usage: test-postgres.sh start | stop <dir>" ;;
esac
