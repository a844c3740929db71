#!/usr/bin/env bash
#
# Fleet benchmark: N simulated edge devices against ONE cloud node. The devices are light MQTT clients (Netty,
# MQTT 3.1.1 over TLS, IoT Hub's dialect, one JVM) connected as <device>/$edgeAgent with SAS tokens; each
# subscribes to its desired properties and, on every push, reads its twin and reports the new desired version
# applied the way Outpost's cloud link does (lastDesiredVersion, lastDesiredStatus 200, every module running).
# The cloud node is a JVM of its own (bench/fleet-tool's BenchCloudNode: the cloud store on H2 in file mode in a
# temporary folder and the device endpoint with its default settings, -Xmx512m -XX:+UseSerialGC).
#
#   bench/fleet.sh [--devices N] [--window W] [--quick] [--results FILE]
#
# Measured in one run, each next to its baseline:
#   - connect: N devices connected (TLS, SAS authentication against the registry, subscribe, first twin GET),
#     W connection attempts at a time (default 50), next to N bare TLS handshakes with the same endpoint;
#   - deployment: from creating a fleet deployment that targets every device by tag (tags.fleet = 'bench') to
#     its metrics showing reportedSuccessfulCount = N, next to the floor: a plain desired patch of every
#     $edgeAgent twin with the same module list, until every twin reports lastDesiredVersion = its desired
#     version (no deployment evaluation). Both end conditions are polled in the node every 250 ms;
#   - the cloud node's RSS (/proc/<pid>/status): devices registered and none connected (baseline), idle with N
#     connected, and the peak while the deployment runs (next to the peak during the plain patch).
#
# --quick: 100 devices (a smoke run). --results FILE: also appends the figures to FILE as RESULT lines for
# bench/run-all.sh. Progress (devices connected, pushes, reports, counts) goes to stderr every 2 s. Needs the
# cloud bundles installed in the local Maven repository (mvn install -DskipTests); bench/fleet-tool is built here.
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

work=$(mktemp -d /tmp/outpost-bench-fleet.XXXXXX)
trap '[[ -n ${OUTPOST_BENCH_KEEP:-} ]] || rm -rf "$work"' EXIT

tool="$top/bench/fleet-tool"
say "building bench/fleet-tool"
offline=()
[[ -n ${OUTPOST_BENCH_OFFLINE:-} ]] && offline=(-o)
if ! { mvn -B -ntp "${offline[@]}" -Dstyle.color=never -f "$tool/pom.xml" package -DskipTests \
     && mvn -B -ntp "${offline[@]}" -Dstyle.color=never -f "$tool/pom.xml" dependency:build-classpath \
          -Dmdep.outputFile="$work/cp.txt"; } > "$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log" >&2
  say "cannot build bench/fleet-tool: install the cloud bundles first (mvn install -DskipTests)"
  exit 2
fi

# Each device holds one socket here and one in the cloud node.
need=$(( devices + 256 ))
if (( $(ulimit -n) < need )); then
  ulimit -n "$need" 2>/dev/null || { say "ulimit -n is $(ulimit -n); $devices devices need at least $need"; exit 2; }
fi

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
args=(--devices "$devices" --window "$window" --work "$work")
[[ -n $results ]] && args+=(--results "$results")
say "$devices devices, $window connection attempts at a time (work folder $work)"
status=0
"$java_bin" -Xms64m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$tool/target/classes:$(cat "$work/cp.txt")" io.outpost.bench.fleet.FleetBench "${args[@]}" || status=$?
if (( status != 0 )); then
  [[ -f $work/cloud-node.log ]] && { say "cloud node log (last 40 lines):"; tail -n 40 "$work/cloud-node.log" >&2; }
  exit "$status"
fi
