#!/usr/bin/env bash
# From a fresh clone to a running Outpost on this machine:
#   build (when the sources changed) -> Docker engine -> base images -> install into run/outpost -> start.
# Running it again is fast: nothing is rebuilt or reinstalled unless something changed, and a running
# Outpost is left running. Stop with: run/outpost/bin/outpost stop
#
# Settings (environment): OUTPOST_PREFIX (default <clone>/run/outpost)
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$top"
prefix=${OUTPOST_PREFIX:-$top/run/outpost}
version=$(sed -n 's#^  <version>\(.*\)</version>#\1#p' pom.xml | head -n 1)
tarball="assembly/target/outpost-$version.tar.gz"

n=0
step() { n=$((n + 1)); printf '[%d/5] %s\n' "$n" "$*" >&2; }

step "build"
if [[ ! -f $tarball ]] || [[ -n $(find pom.xml bundles features karaf-distribution assembly -newer "$tarball" \
    -not -path '*/target/*' -type f -print -quit) ]]; then
  printf '      building Outpost %s (mvn install, tests skipped; scripts/test.sh runs them)\n' "$version" >&2
  mvn -B -q -ntp -Dstyle.color=never install -DskipTests -pl assembly -am
else
  printf '      up to date (%s)\n' "$tarball" >&2
fi

step "Docker engine"
scripts/docker-engine.sh 2>&1 | sed 's/^/      /' >&2

step "base images"
if [[ -x scripts/base-images.sh ]]; then
  scripts/base-images.sh 2>&1 | sed 's/^/      /' >&2
else
  printf '      none needed yet\n' >&2
fi

step "install into $prefix"
stamp="$prefix/.installed-from"
sum=$(sha256sum "$tarball" | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$sum" ]]; then
  printf '      already installed\n' >&2
else
  if [[ -x "$prefix/bin/outpost" ]]; then "$prefix/bin/outpost" stop >/dev/null 2>&1 || true; fi
  unpack=$(mktemp -d)
  trap 'rm -rf "$unpack"' EXIT
  tar xzf "$tarball" -C "$unpack"
  "$unpack/outpost-$version/install.sh" --prefix "$prefix" --no-systemd 2>&1 | sed 's/^/      /' >&2
  echo "$sum" > "$stamp"
fi

step "start"
"$prefix/bin/outpost" start 2>&1 | sed 's/^/      /' >&2

cat <<INFO

Outpost $version is running in $prefix

  status      $prefix/bin/outpost status
  console     $prefix/bin/outpost shell            (user and password: $prefix/etc/outpost-shell.credentials)
  a command   $prefix/bin/outpost shell 'feature:list -i'
  logs        $prefix/data/log/karaf.log
  stop        $prefix/bin/outpost stop
INFO
