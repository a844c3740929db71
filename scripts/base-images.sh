#!/usr/bin/env bash
# Builds the local base images that Outpost's modules and tests start from, with no image registry.
#
#   scripts/base-images.sh           build the images that are missing (existing tags are kept)
#   scripts/base-images.sh --force   rebuild every image
#   scripts/base-images.sh --list    print the outpost/base-* images and exit
#
# Images (each also tagged :latest):
#   outpost/base-busybox:1  a static busybox (Debian's busybox-static) with its applet links, /tmp,
#                           /etc/passwd and /etc/group (root, nobody); made with `docker import`.
#   outpost/base-java17:1   a jlink'ed JRE of the host JDK 17 in /opt/java, the shared libraries ldd names
#                           for it (with the dynamic loader), CA certificates, and the busybox image's
#                           files so HEALTHCHECKs have a shell; made FROM scratch with
#                           `docker build --network none` (classic builder).
# Settings (environment): OUTPOST_JAVA_HOME (default: the JDK of `javac` on PATH, or JAVA_HOME),
#                         OUTPOST_JRE_MODULES (comma-separated module list, overrides the default set).
set -euo pipefail

readonly BUSYBOX_IMAGE=outpost/base-busybox
readonly JAVA_IMAGE=outpost/base-java17
readonly TAG=1
readonly DEFAULT_JRE_MODULES=java.base,java.logging,java.naming,java.net.http,java.management,jdk.management,\
java.xml,java.sql,java.security.jgss,java.security.sasl,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,\
jdk.zipfs,jdk.charsets,jdk.net,jdk.naming.dns,jdk.httpserver

say() { printf 'base-images: %s\n' "$*"; }
die() { printf 'base-images: error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

force=false
case ${1:-} in
  '') ;;
  --force) force=true ;;
  --list) list_only=true ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; die "unknown argument: $1" ;;
esac

require_engine() {
  command -v docker >/dev/null 2>&1 \
    || die "the docker client is not installed; run scripts/docker-engine.sh to install and start an engine"
  timeout 15 docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
    || die "no Docker engine answers; run scripts/docker-engine.sh to start one"
}

list_images() {
  docker images --filter "reference=outpost/base-*" \
    --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Whether an image must be built; re-adds a missing :latest tag when the numbered tag exists.
needs_build() {
  local repo=$1
  if [[ $force == true ]] || ! image_exists "$repo:$TAG"; then
    return 0
  fi
  image_exists "$repo:latest" || docker tag "$repo:$TAG" "$repo:latest"
  say "$repo:$TAG exists; skipped (use --force to rebuild)"
  return 1
}

find_busybox() {
  local candidate
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [[ -x $candidate ]] && ! ldd "$candidate" >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_busybox_static() {
  if find_busybox >/dev/null; then return 0; fi
  if [[ $(id -u) -ne 0 || ! -r /etc/debian_version ]]; then
    die "no static busybox found; install Debian's busybox-static (apt-get install -y busybox-static) as root"
  fi
  say "installing Debian's busybox-static"
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq busybox-static \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; die "apt-get install busybox-static failed"; }
  find_busybox >/dev/null || die "busybox-static is installed but no static busybox binary was found"
}

write_accounts() {
  local etc=$1
  mkdir -p "$etc"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$etc/group"
}

# Creates the applet links of `busybox --install -s`: inside a chroot when root, else from --list-full.
install_applets() {
  local rootfs=$1
  if [[ $(id -u) -eq 0 ]] && command -v chroot >/dev/null 2>&1; then
    chroot "$rootfs" /bin/busybox --install -s
    return
  fi
  local applet
  while IFS= read -r applet; do
    [[ -e $rootfs/$applet || -L $rootfs/$applet ]] && continue
    mkdir -p "$rootfs/$(dirname "$applet")"
    ln -s /bin/busybox "$rootfs/$applet"
  done < <("$rootfs/bin/busybox" --list-full)
}

build_busybox() {
  needs_build "$BUSYBOX_IMAGE" || return 0
  local started=$SECONDS rootfs=$work/busybox-rootfs busybox
  say "busybox: preparing rootfs"
  ensure_busybox_static
  busybox=$(find_busybox)
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,root,tmp,proc,sys,dev}
  chmod 1777 "$rootfs/tmp"
  chmod 0700 "$rootfs/root"
  cp "$busybox" "$rootfs/bin/busybox"
  say "busybox: installing applet links"
  install_applets "$rootfs"
  write_accounts "$rootfs/etc"
  say "busybox: importing $BUSYBOX_IMAGE:$TAG"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf - . \
    | docker import \
        --change 'CMD ["/bin/sh"]' \
        --change 'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' \
        - "$BUSYBOX_IMAGE:$TAG" >/dev/null
  docker tag "$BUSYBOX_IMAGE:$TAG" "$BUSYBOX_IMAGE:latest"
  say "busybox: built $BUSYBOX_IMAGE:$TAG in $((SECONDS - started))s"
}

find_java_home() {
  if [[ -n ${OUTPOST_JAVA_HOME:-} ]]; then printf '%s\n' "$OUTPOST_JAVA_HOME"; return; fi
  if command -v javac >/dev/null 2>&1; then
    dirname "$(dirname "$(readlink -f "$(command -v javac)")")"
    return
  fi
  [[ -n ${JAVA_HOME:-} ]] && printf '%s\n' "$JAVA_HOME"
}

# Copies every shared library that ldd names for the JRE's launcher and libraries, keeping their paths.
copy_shared_libraries() {
  local jre=$1 rootfs=$2 lib
  local -a objects
  mapfile -t objects < <(find "$jre/lib" -name '*.so' -type f)
  objects+=("$jre/bin/java")
  ldd "${objects[@]}" 2>/dev/null \
    | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]+ \(0x/ { print $1 }' \
    | grep -v "^$jre/" | sort -u \
    | while IFS= read -r lib; do
        mkdir -p "$rootfs$(dirname "$lib")"
        cp -L "$lib" "$rootfs$lib"
      done
  # Name-service modules are loaded with dlopen, so ldd does not list them; copy them when they exist.
  for lib in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2; do
    [[ -e $lib ]] || continue
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

prepare_java_context() {
  local ctx=$1 java_home=$2 modules=${OUTPOST_JRE_MODULES:-$DEFAULT_JRE_MODULES}
  local rootfs=$ctx/rootfs
  mkdir -p "$rootfs/opt" "$rootfs/etc/ssl/certs" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  say "java17: jlink ($modules)"
  "$java_home/bin/jlink" --add-modules "$modules" \
    --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$rootfs/opt/java"
  say "java17: copying the shared libraries ldd names"
  copy_shared_libraries "$rootfs/opt/java" "$rootfs"
  write_accounts "$rootfs/etc"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  fi
  if [[ -f /etc/ssl/certs/java/cacerts ]]; then
    cp -L /etc/ssl/certs/java/cacerts "$rootfs/opt/java/lib/security/cacerts"
  fi
  cat >"$ctx/Dockerfile" <<EOF
FROM scratch
COPY --from=$BUSYBOX_IMAGE:$TAG / /
COPY rootfs/ /
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/bin:/sbin:/usr/bin:/usr/sbin
LABEL io.outpost.base.java.version="$java_version"
CMD ["/bin/sh"]
EOF
}

build_java() {
  needs_build "$JAVA_IMAGE" || return 0
  local started=$SECONDS ctx=$work/java17 java_home
  java_home=$(find_java_home)
  [[ -n $java_home && -x $java_home/bin/jlink ]] \
    || die "no JDK with jlink found; install a JDK 17 (openjdk-17-jdk-headless) or set OUTPOST_JAVA_HOME"
  java_version=$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F' = ' '/java.runtime.version/ { print $2 }')
  [[ $java_version == 17* ]] || die "$java_home is Java $java_version; the base image needs a JDK 17"
  [[ -d $java_home/jmods ]] || die "$java_home has no jmods; install openjdk-17-jmods (Debian) for jlink"
  prepare_java_context "$ctx" "$java_home"
  say "java17: docker build $JAVA_IMAGE:$TAG (network none, classic builder)"
  local -a no_cache=()
  [[ $force == true ]] && no_cache=(--no-cache)
  DOCKER_BUILDKIT=0 docker build --network none "${no_cache[@]}" -t "$JAVA_IMAGE:$TAG" -t "$JAVA_IMAGE:latest" "$ctx" \
    >"$work/java17-build.log" 2>&1 || { cat "$work/java17-build.log" >&2; die "docker build of $JAVA_IMAGE failed"; }
  say "java17: checking java -version in a container"
  docker run --rm --network none "$JAVA_IMAGE:$TAG" java -version 2>&1 | sed 's/^/base-images:   /'
  say "java17: built $JAVA_IMAGE:$TAG in $((SECONDS - started))s"
}

require_engine
if [[ ${list_only:-false} == true ]]; then
  list_images
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-base-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

build_busybox
build_java
list_images
