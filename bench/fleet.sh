#!/usr/bin/env bash
#
# Fleet benchmark: N simulated edge devices against ONE real Outpost Cloud. The cloud is the assembly installed as
# an operator installs it (install.sh --profile cloud --prefix DIR --no-systemd into a temporary folder, started
# with DIR/bin/outpost start: Karaf with the cloud store on H2 in file mode, the device endpoint and the REST API
# with their default settings, heap -Xmx512m via OUTPOST_HEAP), on free ports of 127.0.0.1 and with no remote
# Maven repository. The devices are light MQTT clients (Netty, MQTT 3.1.1 over TLS, IoT Hub's dialect, one JVM:
# bench/fleet-tool) connected as <device>/$edgeAgent with SAS tokens signed with the keys the REST API gave when
# it registered them; each subscribes to its desired properties and, on every push, reads its twin and reports the
# new desired version applied the way Outpost's cloud link does (lastDesiredVersion, lastDesiredStatus 200, every
# module running). Everything on the cloud side goes through its REST API (/api/v1) with the initial admin token.
#
#   bench/fleet.sh [--devices N] [--window W] [--quick] [--results FILE]
#
# Measured in one run, each next to its baseline:
#   - connect: N devices connected (TLS, SAS authentication against the registry, subscribe, first twin GET),
#     W connection attempts at a time (default 50), next to N bare TLS handshakes with the same endpoint;
#   - deployment: from POST /deployments of a fleet deployment that targets every device by tag
#     (tags.fleet = 'bench') until GET /deployments shows its reportedSuccessfulCount = N, next to the floor: a
#     plain desired patch of every $edgeAgent twin with the same module list (one PATCH .../modules/$edgeAgent/twin
#     per device, 8 requests in flight), until every twin read back through REST reports lastDesiredVersion = its
#     desired $version (no deployment evaluation). Both end conditions are polled every 250 ms;
#   - the cloud's RSS (/proc/<pid>/status of its Karaf JVM): devices registered and none connected (baseline), idle
#     with N connected, and the peak while the deployment runs (next to the peak during the plain patch).
#
# --quick: 100 devices (a smoke run). --results FILE: also appends the figures to FILE as RESULT lines for
# bench/run-all.sh. Progress goes to stderr every 2 s. Needs the assembly built (mvn install). Builds
# bench/fleet-tool from this tree every time (mvn package -pl bench/fleet-tool -am, tests not run; extra Maven
# arguments from OUTPOST_MVN_ARGS, e.g. -o). OUTPOST_BENCH_KEEP=1 keeps the work folder (the cloud's logs).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
devices=1000
window=50
results=""
while (( $# > 0 )); do
  case "$1" in
    --devices) devices=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --quick) devices=100; shift ;;
    --results) results=$(readlink -f "$2"); shift 2 ;;
    *) echo "usage: bench/fleet.sh [--devices N] [--window W] [--quick] [--results FILE]" >&2; exit 2 ;;
  esac
done

say() { printf 'bench: %s\n' "$*" >&2; }

version=$(sed -n 's#^  <version>\(.*\)</version>#\1#p' "$top/pom.xml" | head -n 1)
outpost_tgz="$top/assembly/target/outpost-$version.tar.gz"
[[ -f $outpost_tgz ]] || { say "build first (mvn install -DskipTests): $outpost_tgz is missing"; exit 2; }
command -v curl >/dev/null 2>&1 || { say "curl is needed (apt-get install curl)"; exit 2; }

work=$(mktemp -d /tmp/outpost-bench-fleet.XXXXXX)
cloud="$work/cloud"
cleanup() {
  if [[ -x $cloud/bin/outpost ]]; then
    OUTPOST_STOP_TIMEOUT=60 "$cloud/bin/outpost" stop >/dev/null 2>&1 || true
    local pid
    pid=$(cat "$cloud/karaf.pid" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && ps -p "$pid" -o args= 2>/dev/null | grep -q "karaf.home=$cloud"; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  if [[ -n ${OUTPOST_BENCH_KEEP:-} ]]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

tool="$top/bench/fleet-tool"
say "building bench/fleet-tool (mvn package -pl bench/fleet-tool -am, tests not run)"
rm -rf "$tool/target/lib"
# shellcheck disable=SC2086
if ! (cd "$top" && mvn -B -ntp -Dstyle.color=never ${OUTPOST_MVN_ARGS:-} -DskipTests package -pl bench/fleet-tool -am) \
     > "$work/build.log" 2>&1; then
  grep -E '^\[(ERROR|WARNING)\]' "$work/build.log" | head -n 40 >&2 || tail -n 40 "$work/build.log" >&2
  say "cannot build bench/fleet-tool (mvn package -pl bench/fleet-tool -am; its errors above)"
  exit 2
fi

# Each device holds one socket here and one in the cloud (which inherits this limit).
need=$(( devices + 512 ))
if (( $(ulimit -n) < need )); then
  ulimit -n "$need" 2>/dev/null || { say "ulimit -n is $(ulimit -n); $devices devices need at least $need"; exit 2; }
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# set_cfg FILE KEY VALUE: sets (or adds) one property of a Karaf .cfg file.
set_cfg() {
  local file=$1 key=$2 value=$3
  if [[ -f $file ]] && grep -q "^[[:space:]]*$key[[:space:]]*=" "$file"; then
    # a value may continue on the next lines (a trailing backslash): drop those lines with the key's
    awk -v k="$key" -v v="$value" '
      skip { skip = /\\$/; next }
      $0 ~ "^[[:space:]]*" k "[[:space:]]*=" { print k " = " v; skip = /\\$/; next }
      { print }' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
  else
    printf '%s = %s\n' "$key" "$value" >> "$file"
  fi
}

# The cloud as an operator installs it, on free ports.
http_port=$(free_port)
endpoint_port=$(free_port)
mkdir -p "$work/unpacked"
tar xzf "$outpost_tgz" -C "$work/unpacked"
OUTPOST_SSH_PORT=$(free_port) OUTPOST_HTTP_PORT=$http_port OUTPOST_RMI_REGISTRY_PORT=$(free_port) \
  OUTPOST_RMI_SERVER_PORT=$(free_port) \
  "$work/unpacked/outpost-$version/install.sh" --profile cloud --prefix "$cloud" --user "$(id -un)" --no-systemd > "$work/install.log" 2>&1 \
  || { cat "$work/install.log" >&2; say "install.sh --profile cloud failed"; exit 1; }
rm -rf "$work/unpacked"
# Bundles come from system/ only: no remote repository, and an empty local one.
mkdir -p "$cloud/empty-m2"
set_cfg "$cloud/etc/org.ops4j.pax.url.mvn.cfg" org.ops4j.pax.url.mvn.repositories ""
set_cfg "$cloud/etc/org.ops4j.pax.url.mvn.cfg" org.ops4j.pax.url.mvn.localRepository "$cloud/empty-m2"
# The endpoint's feature writes its settings file only when there is none: this one keeps the port, the rest
# takes the defaults (docs/cloud.md).
set_cfg "$cloud/etc/io.outpost.cloud.endpoint.cfg" tlsPort "$endpoint_port"

heap=512m
say "starting Outpost Cloud in $cloud (heap $heap, REST API 127.0.0.1:$http_port, device endpoint 127.0.0.1:$endpoint_port)"
unset EXTRA_JAVA_OPTS
OUTPOST_HEAP=$heap OUTPOST_START_TIMEOUT=300 "$cloud/bin/outpost" start > "$work/start.log" 2>&1 \
  || { cat "$work/start.log" >&2; tail -n 40 "$cloud/data/log/karaf.log" >&2 2>/dev/null; say "the cloud did not start"; exit 1; }

api="http://127.0.0.1:$http_port/api/v1"
token_file="$cloud/etc/outpost-cloud.token"
trust="$cloud/data/outpost/cloud/endpoint/trust-bundle.pem"
ready() {
  [[ -s $token_file && -s $trust ]] || return 1
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$token_file")" "$api/summary") == 200 ]]
}
for _ in $(seq 1 120); do ready && break; sleep 0.5; done
ready || { tail -n 40 "$cloud/data/log/karaf.log" >&2; say "the cloud's REST API ($api) or trust bundle ($trust) is not there"; exit 1; }
pid=$(cat "$cloud/karaf.pid")

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
args=(--devices "$devices" --window "$window" --api "$api" --token-file "$token_file" --endpoint-port "$endpoint_port"
  --trust "$trust" --pid "$pid" --cloud-heap "$heap")
[[ -n $results ]] && args+=(--results "$results")
say "$devices devices, $window connection attempts at a time (cloud pid $pid, work folder $work)"
status=0
"$java_bin" -Xms64m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$tool/target/classes:$tool/target/lib/*" io.outpost.bench.fleet.FleetBench "${args[@]}" || status=$?
if (( status != 0 )); then
  say "the cloud's log (last 40 lines):"
  tail -n 40 "$cloud/data/log/karaf.log" >&2 2>/dev/null || true
  exit "$status"
fi
