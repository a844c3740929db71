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
#   --user USER    the user the runtime runs as, who owns the installation and its secrets (default when root:
#                  the system user "outpost", created if missing and added to the group docker; otherwise the
#                  installing user). --user root runs it as root, on purpose only
#   --systemd      install and enable the systemd unit (default when root and systemd runs)
#   --no-systemd   do not touch systemd
#
set -euo pipefail

src=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
prefix=""
profile=edge
user=""
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
    -h | --help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'install: %s\n' "$*" >&2; }

case "$profile" in
  edge) unit=outpost; [[ -n $prefix ]] || prefix=/opt/outpost ;;
  cloud) unit=outpost-cloud; [[ -n $prefix ]] || prefix=/opt/outpost-cloud ;;
  *) say "unknown profile '$profile': expected edge or cloud"; exit 2 ;;
esac
prefix=$(realpath -m "$prefix")

# The runtime user. Root installs for the dedicated system user "outpost" unless told otherwise, so that the
# runtime never runs as root by default; it reaches the Docker engine through the group docker.
as_root=no
[[ $(id -u) -eq 0 ]] && as_root=yes
[[ -n $user ]] || { [[ $as_root == yes ]] && user=outpost || user=$(id -un); }
if [[ $as_root == yes && $user == outpost ]]; then
  if ! id outpost >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$prefix" --no-create-home --shell /usr/sbin/nologin \
      --comment "Outpost runtime" outpost
    say "created the system user outpost"
  fi
  if getent group docker >/dev/null 2>&1; then
    id -nG outpost | tr ' ' '\n' | grep -qx docker || { usermod -aG docker outpost && say "added outpost to the group docker"; }
  else
    say "warning: there is no group docker (is Docker installed?): add the user outpost to it (usermod -aG docker outpost) so that the runtime reaches the Docker engine"
  fi
fi
id "$user" >/dev/null 2>&1 || { say "no such user: $user"; exit 2; }
group=$(id -gn "$user")
if [[ $systemd == auto ]]; then
  if [[ $(id -u) -eq 0 && -d /run/systemd/system ]]; then systemd=yes; else systemd=no; fi
fi

if [[ -x "$prefix/bin/outpost" ]] && "$prefix/bin/outpost" status >/dev/null 2>&1; then
  say "Outpost is running in $prefix: stop it first ($prefix/bin/outpost stop)"
  exit 1
fi

mkdir -p "$prefix"
if [[ $as_root == yes && $user != root ]] && command -v runuser >/dev/null 2>&1; then
  chown "$user:$group" "$prefix"
  if ! runuser -u "$user" -- test -w "$prefix"; then
    say "the user $user cannot reach $prefix (a parent folder is closed to it): install elsewhere with --prefix, or choose another --user"
    exit 1
  fi
fi
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

# The installation belongs to the runtime user.
if [[ $as_root == yes ]]; then
  chown -R "$user:$group" "$prefix"
else
  chown -R "$user:$group" "$prefix" 2>/dev/null || true
fi

# The console user (its random password and key), and the profile (boot feature and ports) on a new installation.
# Run as root, bin/outpost runs itself as the installation's owner: the secrets (mode 600) are the runtime user's.
if [[ $upgrade == no ]]; then
  "$prefix/bin/outpost" init --profile "$profile"
else
  "$prefix/bin/outpost" init
fi
if [[ $as_root == yes ]]; then chown -R "$user:$group" "$prefix/etc"; fi
say "runtime user: $user"

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
