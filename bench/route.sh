#!/usr/bin/env bash
#
# Routing benchmark: persistent-message throughput and p50/p99 latency (send to receipt) of 256-byte messages
# through one route (producer threads -> router -> durable endpoint queue -> Camel pump -> endpoint), next to
# a baseline measured in the same run, in the same JVM, on the same embedded Artemis broker, with the same
# load generator: the producers send durable messages to one plain durable queue that one core consumer
# drains, committing its acknowledgements in batches of at most 100 (as the pump does). Prints both and the
# ratios route / baseline. Not a test: nothing is asserted.
#
#   bench/route.sh [--messages N] [--producers P] [--warmup W]
#
# Builds the hub modules when their test classes are missing; runs RouteBench from outpost-hub-camel's
# test classpath. About a minute with the defaults on two cores.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
messages=20000
producers=4
warmup=2000
while (( $# > 0 )); do
  case "$1" in
    --messages) messages=$2; shift 2 ;;
    --producers) producers=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    *) echo "usage: bench/route.sh [--messages N] [--producers P] [--warmup W]" >&2; exit 2 ;;
  esac
done

say() { printf 'bench: %s\n' "$*" >&2; }

module="$top/bundles/outpost-hub-camel"
if [[ ! -f $module/target/test-classes/io/outpost/hub/internal/RouteBench.class ]]; then
  say "building the hub modules (tests skipped)"
  for m in outpost-common outpost-routing outpost-manifest outpost-deployment-api outpost-hub-api outpost-hub; do
    mvn -B -q -ntp -DskipTests -f "$top/bundles/$m/pom.xml" install
  done
  mvn -B -q -ntp -DskipTests -f "$module/pom.xml" install
fi
cp_file=$(mktemp /tmp/outpost-route-bench-cp.XXXXXX)
trap 'rm -f "$cp_file"' EXIT
(cd "$module" && mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
say "running: $messages messages, $producers producers, $warmup warm-up"
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$cp_file")" \
  io.outpost.hub.internal.RouteBench "$messages" "$producers" "$warmup"
