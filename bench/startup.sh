#!/usr/bin/env bash
#
# Start-up benchmark: cold and warm start time to a responsive shell, and idle RSS, of the Outpost
# assembly next to a plain Apache Karaf 4.4.10 started the same way in the same run (the baseline).
#
#   bench/startup.sh [--runs N] [--idle-secs S] [--quick] [--results FILE]
#
# --quick: one run, 3 s idle (a smoke run). --results FILE: also appends the figures to FILE as RESULT lines
# for bench/run-all.sh (bench/report-tool reads them).
#
# Both are unpacked fresh into a temporary folder, get the same heap (EXTRA_JAVA_OPTS), free ports and a
# console user, and are started with their bin/start. "Responsive" means the console answers the same
# command (system:version) through bin/client. Cold is the first start (empty data/), warm the next one
# (data/ kept). Idle RSS is read after S seconds of idling. Prints a table and the ratios Outpost/Karaf.
# Needs the assembly built (mvn install); fetches Karaf's own tar.gz through Maven (extra Maven arguments from
# OUTPOST_MVN_ARGS, e.g. -o).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=3
idle_secs=20
results=""
while (( $# > 0 )); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --idle-secs) idle_secs=$2; shift 2 ;;
    --quick) runs=1; idle_secs=3; shift ;;
    --results) results=$2; shift 2 ;;
    *) echo "usage: bench/startup.sh [--runs N] [--idle-secs S] [--quick] [--results FILE]" >&2; exit 2 ;;
  esac
done

version=$(sed -n 's#^  <version>\(.*\)</version>#\1#p' "$top/pom.xml" | head -n 1)
karaf_version=$(sed -n 's#.*<karaf.version>\(.*\)</karaf.version>.*#\1#p' "$top/pom.xml" | head -n 1)
outpost_tgz="$top/assembly/target/outpost-$version.tar.gz"
[[ -f $outpost_tgz ]] || { echo "bench: build first (mvn install -DskipTests): $outpost_tgz is missing" >&2; exit 2; }

work=$(mktemp -d /tmp/outpost-bench.XXXXXX)
cleanup() {
  for d in "$work"/*/; do [[ -x "$d/bin/stop" ]] && "$d/bin/stop" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf 'bench: %s\n' "$*" >&2; }

say "fetching Apache Karaf $karaf_version (baseline)"
# (run outside the project, so that it is one goal and not one per module of the reactor)
# shellcheck disable=SC2086
if ! (cd "$work" && mvn -B -ntp -Dstyle.color=never ${OUTPOST_MVN_ARGS:-} org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
     -Dartifact="org.apache.karaf:apache-karaf:$karaf_version:tar.gz" -DoutputDirectory="$work") > "$work/fetch.log" 2>&1; then
  grep -E '^\[ERROR\]' "$work/fetch.log" | head -n 20 >&2 || tail -n 20 "$work/fetch.log" >&2
  say "cannot fetch org.apache.karaf:apache-karaf:$karaf_version:tar.gz through Maven (offline without it in the local repository?)"
  exit 2
fi
karaf_tgz="$work/apache-karaf-$karaf_version.tar.gz"

export EXTRA_JAVA_OPTS="-Xms64m -Xmx256m -XX:+UseSerialGC"
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# unpack <tarball> <name>: a fresh copy with free ports and the console user bench/bench.
unpack() {
  local dir="$work/$2"
  mkdir -p "$dir"
  tar xzf "$1" -C "$dir" --strip-components=1
  sed -i "s/^sshPort *=.*/sshPort = $(free_port)/" "$dir/etc/org.apache.karaf.shell.cfg"
  sed -i "s/^sshHost *=.*/sshHost = 127.0.0.1/" "$dir/etc/org.apache.karaf.shell.cfg"
  sed -i -e "s/^rmiRegistryPort *=.*/rmiRegistryPort = $(free_port)/" \
         -e "s/^rmiServerPort *=.*/rmiServerPort = $(free_port)/" "$dir/etc/org.apache.karaf.management.cfg"
  # Outpost's own listeners (the hub's MQTT, the metrics endpoint), off their default ports
  if [[ -f $dir/etc/io.outpost.hub.store.cfg ]]; then
    sed -i "s/^mqttTlsPort *=.*/mqttTlsPort = $(free_port)/" "$dir/etc/io.outpost.hub.store.cfg"
  fi
  if [[ -f $dir/etc/io.outpost.metrics.cfg ]]; then
    sed -i "s/^port *=.*/port = $(free_port)/" "$dir/etc/io.outpost.metrics.cfg"
  fi
  printf '\nbench = bench,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n' \
    >> "$dir/etc/users.properties"
  printf '%s\n' "$dir"
}

responsive() { echo 'system:version' | "$1/bin/client" -u bench -p bench -b 2>/dev/null | grep -q '^[0-9]'; }

# start_ms <dir>: starts and prints the milliseconds until the console answers.
start_ms() {
  local dir=$1 t0
  t0=$(date +%s%N)
  "$dir/bin/start" >/dev/null 2>&1
  until responsive "$dir"; do
    if (( ($(date +%s%N) - t0) / 1000000 > 300000 )); then echo "bench: $dir did not answer in 300 s" >&2; exit 1; fi
    sleep 0.2
  done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}

stop_wait() {
  "$1/bin/stop" >/dev/null 2>&1 || true
  while "$1/bin/status" >/dev/null 2>&1; do sleep 0.2; done
  # the JVM may linger briefly after the status port closed
  while pgrep -f "karaf.home=$1" >/dev/null 2>&1; do sleep 0.2; done
}

rss_mb() {
  local pid
  pid=$(pgrep -f "karaf.home=$1" | head -n 1)
  echo $(( $(ps -o rss= -p "$pid") / 1024 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# Runs alternate between the two (karaf, outpost, karaf, ...) so that load from elsewhere on the machine
# falls on both alike.
declare -A cold warm rss
declare -A c w r
for ((i = 1; i <= runs; i++)); do
  for name in karaf outpost; do
    tgz=$karaf_tgz; [[ $name == outpost ]] && tgz=$outpost_tgz
    dir=$(unpack "$tgz" "$name-$i")
    cms=$(start_ms "$dir")
    stop_wait "$dir"
    wms=$(start_ms "$dir")
    sleep "$idle_secs"
    rmb=$(rss_mb "$dir")
    stop_wait "$dir"
    say "$name run $i/$runs: cold $cms ms, warm $wms ms, idle RSS $rmb MB"
    c[$name]+="$cms "; w[$name]+="$wms "; r[$name]+="$rmb "
    rm -rf "$dir"
  done
done
for name in karaf outpost; do
  cold[$name]=$(printf '%s\n' ${c[$name]} | median)
  warm[$name]=$(printf '%s\n' ${w[$name]} | median)
  rss[$name]=$(printf '%s\n' ${r[$name]} | median)
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
printf '\nStart-up, median of %d runs (heap -Xmx256m, idle %d s; %s cores, %s, Java %s)\n\n' \
  "$runs" "$idle_secs" "$(nproc)" "$cpu" "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1 | cut -d'"' -f2)"
printf '| metric | Karaf %s (baseline) | Outpost %s | Outpost / Karaf |\n|---|---|---|---|\n' "$karaf_version" "$version"
printf '| cold start to responsive shell | %d ms | %d ms | %s |\n' "${cold[karaf]}" "${cold[outpost]}" "$(ratio "${cold[outpost]}" "${cold[karaf]}")"
printf '| warm start to responsive shell | %d ms | %d ms | %s |\n' "${warm[karaf]}" "${warm[outpost]}" "$(ratio "${warm[outpost]}" "${warm[karaf]}")"
printf '| idle RSS | %d MB | %d MB | %s |\n' "${rss[karaf]}" "${rss[outpost]}" "$(ratio "${rss[outpost]}" "${rss[karaf]}")"

if [[ -n $results ]]; then
  base="Karaf $karaf_version"
  {
    printf 'RESULT bench="startup" metric="cold_start" label="cold start" chart="startup" unit="ms" better="lower" baseline_label="%s" baseline="%s" value="%s"\n' "$base" "${cold[karaf]}" "${cold[outpost]}"
    printf 'RESULT bench="startup" metric="warm_start" label="warm start" chart="startup" unit="ms" better="lower" baseline_label="%s" baseline="%s" value="%s"\n' "$base" "${warm[karaf]}" "${warm[outpost]}"
    printf 'RESULT bench="startup" metric="idle_rss" label="idle RSS (-Xmx256m)" chart="memory" unit="MB" better="lower" baseline_label="%s" baseline="%s" value="%s"\n' "$base" "${rss[karaf]}" "${rss[outpost]}"
  } >> "$results"
fi
