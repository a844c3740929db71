#!/usr/bin/env bash
# Makes a Docker engine answer on this machine.
#
#   scripts/docker-engine.sh          ensure an engine answers (install docker.io and start dockerd if needed)
#   scripts/docker-engine.sh --check  only report whether an engine answers (exit 0 yes, 1 no)
#
# When no engine answers and we are root on Debian, installs Debian's docker.io and starts
#   dockerd --bridge=none --iptables=false --ip-masq=false
# in the background (the default bridge network does not work on hosts like this one; Outpost's modules
# use host networking). Idempotent: an engine that already answers is left alone.
# Settings (environment): OUTPOST_DOCKERD_LOG (default /var/log/outpost-dockerd.log),
#                         OUTPOST_DOCKER_WAIT_SECS (default 60).
set -euo pipefail

log_file=${OUTPOST_DOCKERD_LOG:-/var/log/outpost-dockerd.log}
wait_secs=${OUTPOST_DOCKER_WAIT_SECS:-60}

say() { printf 'docker-engine: %s\n' "$*" >&2; }

answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if [[ ${1:-} == --check ]]; then
  if answers; then say "engine answers (server $(docker version --format '{{.Server.Version}}'))"; exit 0; fi
  say "no Docker engine answers; run scripts/docker-engine.sh to start one"; exit 1
fi

if answers; then
  say "engine answers (server $(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  say "no Docker engine answers and this is not root: start Docker yourself (or run this script as root on Debian)"
  exit 1
fi
if [[ ! -r /etc/debian_version ]]; then
  say "no Docker engine answers and this is not Debian: install and start Docker Engine yourself"
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  say "starting dockerd (log: $log_file)"
  mkdir -p "$(dirname "$log_file")"
  setsid dockerd --bridge=none --iptables=false --ip-masq=false >>"$log_file" 2>&1 < /dev/null &
fi

for ((i = 0; i < wait_secs; i++)); do
  if answers; then
    say "engine answers (server $(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
say "dockerd did not answer within ${wait_secs}s; see $log_file"
exit 1
