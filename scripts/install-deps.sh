#!/usr/bin/env bash
# Installs the operating system packages Outpost's scripts need, from Debian's archive. Idempotent: a package
# already installed is left alone and nothing is downloaded when every package is there.
#
#   scripts/install-deps.sh [run|test|bench|--list [SET]]
#
# Sets (each includes `run`):
#   run    what scripts/quickstart.sh needs: the Docker engine (docker.io), a static busybox for the local base
#          images (busybox-static), curl, git
#   test   run + what scripts/test.sh's tests use as real peers: mosquitto-clients (mosquitto_pub/sub/rr),
#          postgresql (the cloud store on PostgreSQL), docker-registry + apache2-utils (a private registry with
#          basic auth for pull tests), chromium (dashboard screenshots), mosquitto (the broker the benchmarks
#          compare the hub with), openssl (outpost-pki's tests check its PEM files and thumbprints against it)
#   bench  run + mosquitto (bench/hub.sh's baseline broker)
# The default is `test`.
#
# JDK 17 to 23 and Maven 3.8 or later are checked, not installed over what is there: when `java` or `mvn` is
# missing, Debian's openjdk-17-jdk-headless and maven are installed.
# Needs root on Debian (or Ubuntu); elsewhere it prints the packages to install and exits 1 when any is missing.
set -euo pipefail

say() { printf 'install-deps: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

run_set=(docker.io busybox-static curl git ca-certificates)
test_set=(mosquitto-clients mosquitto postgresql docker-registry apache2-utils chromium openssl)
bench_set=(mosquitto)

packages_of() {
  case $1 in
    run) printf '%s\n' "${run_set[@]}" ;;
    test) printf '%s\n' "${run_set[@]}" "${test_set[@]}" ;;
    bench) printf '%s\n' "${run_set[@]}" "${bench_set[@]}" ;;
    *) die "unknown set '$1': expected run, test or bench" ;;
  esac
}

set_name=test
case ${1:-} in
  '') ;;
  run|test|bench) set_name=$1 ;;
  --list) packages_of "${2:-test}"; exit 0 ;;
  -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1': expected run, test, bench or --list [SET]" ;;
esac

mapfile -t wanted < <(packages_of "$set_name")
command -v java >/dev/null 2>&1 || wanted+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || wanted+=(maven)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${wanted[@]}"; do installed "$p" || missing+=("$p"); done
else
  missing=("${wanted[@]}")
fi

if (( ${#missing[@]} > 0 )); then
  if [[ ! -r /etc/debian_version ]]; then
    die "this is not Debian: install the equivalents of these packages yourself: ${missing[*]}"
  fi
  if [[ $(id -u) -ne 0 ]]; then
    die "these Debian packages are missing and this is not root: run as root 'apt-get install -y ${missing[*]}' (or this script with sudo)"
  fi
  say "installing ${missing[*]} (set '$set_name')"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  log=$(mktemp /tmp/outpost-install-deps.XXXXXX)
  if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    die "apt-get install ${missing[*]} failed (output above)"
  fi
  rm -f "$log"
  # Debian starts no service here (no systemd in containers); the scripts start what they need themselves.
else
  say "all packages of set '$set_name' are installed"
fi

# The toolchain: Karaf 4.4 needs JDK 17 to 23 (it enables the Security Manager that JDK 24 removed).
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1)
[[ -n $java_major ]] || die "cannot read the Java version of $(command -v java)"
if (( java_major < 17 || java_major > 23 )); then
  die "Java $java_major found at $(command -v java): Outpost needs JDK 17 to 23 (Karaf 4.4 does not start on 24+); set JAVA_HOME or PATH to a JDK 17"
fi
command -v javac >/dev/null 2>&1 || die "java is there but javac is not: install a JDK (apt-get install openjdk-17-jdk-headless)"
mvn_version=$(mvn -B -v 2>/dev/null | sed "s/\x1b\[[0-9;]*m//g" | sed -n 's/^Apache Maven \([0-9.]*\).*/\1/p' | head -n 1)
case $mvn_version in
  3.[0-7].*|2.*|'') die "Maven ${mvn_version:-(unknown version)} found: Outpost needs Maven 3.8 or later" ;;
esac
say "JDK $java_major, Maven $mvn_version"
