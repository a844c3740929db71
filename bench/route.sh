#!/usr/bin/env bash
#
# Routing benchmark: persistent-message throughput and p50/p99 latency (send to receipt) of 256-byte messages
# through one route (producer threads -> router -> durable endpoint queue -> Camel pump -> endpoint), next to
# a baseline measured in the same run, in the same JVM, on the same embedded Artemis broker, with the same
# load generator: the producers send durable messages to one plain durable queue that one core consumer
# drains, committing its acknowledgements in batches of at most 100 (as the pump does). Prints both and the
# ratios route / baseline. Not a test: nothing is asserted.
#
#   bench/route.sh [--messages N] [--producers P] [--warmup W] [--quick] [--results FILE]
#
# --quick: 2000 messages, 2 producers, 200 warm-up (a smoke run). --results FILE: also appends the figures to
# FILE as RESULT lines for bench/run-all.sh.
#
# RouteBench is a test-source class of outpost-hub-camel (io.outpost.hub.camel.internal.RouteBench: the pump is
# that bundle's own HubRoutes; the store, the router and the baseline's broker sessions come from outpost-hub's
# test-jar, io.outpost.hub.testing.HubStoreFixture), so every build compiles it. This script builds it every time
# from this tree, with the modules it needs (mvn package -pl bundles/outpost-hub-camel -am, tests not run; extra
# Maven arguments from OUTPOST_MVN_ARGS, e.g. -o), and runs it on the class path of that same build, so it never
# measures stale classes. About a minute to build and a minute to run with the defaults on two cores.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
messages=20000
producers=4
warmup=2000
results=""
while (( $# > 0 )); do
  case "$1" in
    --messages) messages=$2; shift 2 ;;
    --producers) producers=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --quick) messages=2000; producers=2; warmup=200; shift ;;
    --results) results=$2; shift 2 ;;
    *) echo "usage: bench/route.sh [--messages N] [--producers P] [--warmup W] [--quick] [--results FILE]" >&2; exit 2 ;;
  esac
done

say() { printf 'bench: %s\n' "$*" >&2; }

module="$top/bundles/outpost-hub-camel"
cp_file=$(mktemp /tmp/outpost-route-bench-cp.XXXXXX)
out_file=$(mktemp /tmp/outpost-route-bench-out.XXXXXX)
build_log=$(mktemp /tmp/outpost-route-bench-build.XXXXXX)
trap 'rm -f "$cp_file" "$out_file" "$build_log"' EXIT
say "building outpost-hub-camel and the modules it needs (mvn package -pl bundles/outpost-hub-camel -am, tests not run)"
# One reactor run: the class path is written for each module in build order, so the file ends with
# outpost-hub-camel's (the last one, as every other module is one it depends on), pointing at this build's jars.
# shellcheck disable=SC2086
if ! (cd "$top" && mvn -B -ntp -Dstyle.color=never ${OUTPOST_MVN_ARGS:-} -DskipTests package dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" -pl bundles/outpost-hub-camel -am) > "$build_log" 2>&1; then
  grep -E '^\[(ERROR|WARNING)\]' "$build_log" | head -n 40 >&2 || tail -n 40 "$build_log" >&2
  say "the build failed (mvn package -pl bundles/outpost-hub-camel -am; its errors above)"
  exit 2
fi
[[ -f $module/target/test-classes/io/outpost/hub/camel/internal/RouteBench.class ]] \
  || { say "the build made no RouteBench class in $module/target/test-classes"; exit 2; }
say "running: $messages messages, $producers producers, $warmup warm-up"
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java_bin" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$cp_file")" \
  io.outpost.hub.camel.internal.RouteBench "$messages" "$producers" "$warmup" | tee "$out_file"

if [[ -n $results ]]; then
  # RouteBench's lines: "<name> <n> msg/s   p50 <ms> ms   p99 <ms> ms", baseline first, then the route
  awk -v n="$messages" -v p="$producers" '
    / msg\/s / { for (i = 1; i <= NF; i++) { if ($i == "msg/s") t = $(i-1); if ($i == "p50") a = $(i+1); if ($i == "p99") b = $(i+1) }
                  k = ($1 == "baseline") ? "b" : "r"; tp[k] = t; p50[k] = a; p99[k] = b }
    END {
      if (!("b" in tp) || !("r" in tp)) { print "bench: no figures in RouteBench output" > "/dev/stderr"; exit 1 }
      base = "plain durable queue"
      printf "RESULT bench=\"route\" metric=\"throughput\" label=\"route throughput, 256-byte persistent\" chart=\"throughput\" unit=\"msg/s\" better=\"higher\" baseline_label=\"%s\" baseline=\"%s\" value=\"%s\"\n", base, tp["b"], tp["r"]
      printf "RESULT bench=\"route\" metric=\"latency_p50\" label=\"route latency p50\" chart=\"latency\" unit=\"ms\" better=\"lower\" baseline_label=\"%s\" baseline=\"%s\" value=\"%s\"\n", base, p50["b"], p50["r"]
      printf "RESULT bench=\"route\" metric=\"latency_p99\" label=\"route latency p99\" chart=\"latency\" unit=\"ms\" better=\"lower\" baseline_label=\"%s\" baseline=\"%s\" value=\"%s\"\n", base, p99["b"], p99["r"]
    }' "$out_file" >> "$results"
fi
