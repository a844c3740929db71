#!/usr/bin/env bash
#
# Installs Outpost from this unpacked archive.
#
#   ./install.sh [--profile edge|cloud] [--prefix DIR] [--user USER] [--systemd | --no-systemd]
#
#   --profile P    edge (default): the edge runtime; cloud: Outpost Cloud (boot feature outpost-cloud, SSH
#                  127.0.0.1:8102, HTTP 127.0.0.1:8080, RMI 1100/44445), so both run side by side
#   --prefix DIR   where Outpost goes (default /opt/outpost, /opt/outpost-cloud for the cloud); an existing
#                  installation there is upgraded: its etc/ and data/ are kept, everything else is replaced
#   --user USER    the user the service runs as (default: the installing user)
#   --systemd      install and enable the systemd unit (default when root and systemd runs)
#   --no-systemd   do not touch systemd
#
set -euo pipefail

src=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
prefix=""
profile=edge
user=$(id -un)
systemd=auto

while (( $# > 0 )); do
  case "$1" in
    --profile) profile=${2:?--profile needs edge or cloud}; shift 2 ;;
    --profile=*) profile=${1#*=}; shift ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --user) user=${2:?--user needs a user name}; shift 2 ;;
    --user=*) user=${1#*=}; shift ;;
    --systemd) systemd=yes; shift ;;
    --no-systemd) systemd=no; shift ;;
    -h | --help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'install: %s\n' "$*" >&2; }

case "$profile" in
  edge) unit=outpost; [[ -n $prefix ]] || prefix=/opt/outpost ;;
  cloud) unit=outpost-cloud; [[ -n $prefix ]] || prefix=/opt/outpost-cloud ;;
  *) say "unknown profile '$profile': expected edge or cloud"; exit 2 ;;
esac

id "$user" >/dev/null 2>&1 || { say "no such user: $user"; exit 2; }
if [[ $systemd == auto ]]; then
  if [[ $(id -u) -eq 0 && -d /run/systemd/system ]]; then systemd=yes; else systemd=no; fi
fi

if [[ -x "$prefix/bin/outpost" ]] && "$prefix/bin/outpost" status >/dev/null 2>&1; then
  say "Outpost is running in $prefix: stop it first ($prefix/bin/outpost stop)"
  exit 1
fi

mkdir -p "$prefix"
upgrade=no
[[ -d "$prefix/etc" ]] && upgrade=yes
if [[ $upgrade == yes ]]; then
  installed=$(cat "$prefix/etc/outpost.profile" 2>/dev/null | tr -d "[:space:]" || true)
  if [[ ${installed:-edge} != "$profile" ]]; then
    say "$prefix holds a ${installed:-edge} installation: --profile $profile cannot change it (install elsewhere with --prefix)"
    exit 2
  fi
fi
say "installing into $prefix$([[ $upgrade == yes ]] && echo ' (upgrade: etc/ and data/ kept)')"
for entry in "$src"/* "$src"/.[!.]*; do
  [[ -e $entry ]] || continue
  name=$(basename "$entry")
  if [[ $upgrade == yes && ( $name == etc || $name == data ) ]]; then
    continue
  fi
  rm -rf "${prefix:?}/$name"
  cp -a "$entry" "$prefix/$name"
done
# An upgraded data/cache belongs to the old bundles: Karaf rebuilds it from system/ on the next start.
[[ $upgrade == yes ]] && rm -rf "$prefix/data/cache"
mkdir -p "$prefix/data"
chown -R "$user" "$prefix" 2>/dev/null || true

# The console user and its random password, and the profile (boot feature and ports) on a new installation.
if [[ $upgrade == no ]]; then
  "$prefix/bin/outpost" init --profile "$profile"
elif [[ ! -s "$prefix/etc/outpost-shell.credentials" ]]; then
  "$prefix/bin/outpost" init
fi

if [[ $systemd == yes ]]; then
  sed -e "s#@PREFIX@#$prefix#g" -e "s#@USER@#$user#g" \
    -e "s#^Description=Outpost edge runtime#Description=Outpost ${profile/edge/edge runtime}#" \
    "$src/systemd/outpost.service" > "/etc/systemd/system/$unit.service"
  systemctl daemon-reload
  systemctl enable "$unit.service" >/dev/null
  say "systemd unit installed and enabled: systemctl start $unit"
else
  say "start it with: $prefix/bin/outpost start"
fi
say "done"
