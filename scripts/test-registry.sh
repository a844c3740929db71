#!/usr/bin/env bash
# A private image registry for pull tests: Debian's docker-registry (Distribution 2.8) on a free port of
# 127.0.0.1, with htpasswd basic auth and its storage in a temporary folder. The Docker engine trusts a
# plain-HTTP registry on 127.0.0.1, so no TLS is needed.
#
#   scripts/test-registry.sh start [user] [password]   start one; prints address=, user=, password=, dir=
#   scripts/test-registry.sh stop <dir>                 stop the registry started in <dir> and delete <dir>
#
# Needs the Debian packages docker-registry and apache2-utils (htpasswd); .ci/run installs them.
# Settings (environment): OUTPOST_REGISTRY_WAIT_SECS (default 30).
set -euo pipefail

say() { printf 'test-registry: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
  local user=${1:-outpost} password=${2:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
  command -v docker-registry >/dev/null 2>&1 || die "docker-registry is not installed: apt-get install docker-registry"
  command -v htpasswd >/dev/null 2>&1 || die "htpasswd is not installed: apt-get install apache2-utils"
  local dir port
  dir=$(mktemp -d /tmp/outpost-registry.XXXXXX)
  port=$(free_port)
  mkdir -p "$dir/storage"
  htpasswd -Bbc "$dir/htpasswd" "$user" "$password" >/dev/null 2>&1
  cat > "$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
auth:
  htpasswd:
    realm: outpost-test-registry
    path: $dir/htpasswd
EOF
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 < /dev/null &
  echo $! > "$dir/registry.pid"
  local wait=${OUTPOST_REGISTRY_WAIT_SECS:-30} code
  for ((i = 0; i < wait * 5; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    if [[ $code == 401 ]]; then
      printf 'address=127.0.0.1:%s\nuser=%s\npassword=%s\ndir=%s\n' "$port" "$user" "$password" "$dir"
      return 0
    fi
    kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || break
    sleep 0.2
  done
  say "the registry did not answer on 127.0.0.1:$port; its log:"
  sed 's/^/  /' "$dir/registry.log" >&2 || true
  stop "$dir"
  exit 1
}

stop() {
  local dir=${1:?usage: test-registry.sh stop <dir>}
  [[ $dir == /tmp/outpost-registry.* ]] || die "not a test registry folder: $dir"
  if [[ -f $dir/registry.pid ]]; then
    local pid
    pid=$(cat "$dir/registry.pid")
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
