#!/usr/bin/env bash
#
# Hub benchmark: the edge hub's data path through its real entry point, its MQTT listener in IoT Hub's dialect,
# next to Mosquitto, both driven by the same Eclipse Paho mqttv3 1.2.5 client code (bench/hub-tool) in one run.
# Every scenario runs against Mosquitto, then against Outpost; QoS 1, 256-byte payloads carrying a sequence number
# and the send time, 16 publishes in flight per client. First a warm-up, 1 -> 1 all out, W messages (default 20,000,
# --quick 300) on each: the hub is a long-running JVM, and its first seconds under load go to the JIT compiler (about
# one of the two cores for the first 30 s; see docs/hub.md), which the scenarios are not meant to measure:
#   (a) 1 publisher -> 1 subscriber, all out, N messages: msg/s received;
#   (b) 10 publishers -> 1 subscriber (fan-in), all out, N messages in all;
#   (c) one publisher at a steady rate for D seconds: latency from each message's INTENDED send time (start +
#       i / rate, so a late send counts: no coordinated omission), p50 / p99 / p99.9, and the messages due but not
#       received 5 s after the last was due (a backlog);
#   (d) drain: M messages queued for a subscriber that is away, then the rate at which it receives them once it
#       connects again (and how long its first message took);
#   and the resident set (VmRSS) of the edge's Karaf JVM and of Mosquitto: idle before, peak during, after.
# Every scenario checks that every published sequence number arrived (duplicates are counted and listed): a lost
# message fails the benchmark (exit 1).
#
#   bench/hub.sh [--quick] [--results FILE] [--messages N] [--rate R] [--duration S] [--drain M] [--warmup W]
#                [--time-limit S]
#
# Defaults: N 50,000, 1,000 msg/s for 60 s, M 100,000 (about 10 minutes). --quick: N 3,000, 200 msg/s for 5 s,
# M 5,000 (about 3 minutes with the installs and starts). A slow target is capped: publishing stops after
# --time-limit seconds per scenario (default 90, --quick 45); what was sent is reported and still verified.
# --results FILE: also appends the figures to FILE as RESULT lines for bench/run-all.sh.
#
# Mosquitto (Debian's, scripts/install-deps.sh bench) runs from a config file on a free loopback port: persistence
# in a temporary folder, max_queued_messages 0 (unlimited), max_inflight_messages 16; plain topic bench/in; the
# drain's subscriber keeps a persistent session (clean session false).
# Outpost is installed from the assembly into a temporary prefix as the quickstart does (install.sh --profile edge
# --no-systemd), with its own device id and every port moved to a free one (SSH, HTTP, RMI, the hub's TLS listener,
# metrics) and the hub's plain MQTT listener on a free 127.0.0.1 port. It runs a deployment of one module,
# benchsink (outpost/base-busybox:1 sleeping, host network), and the route
#   FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO BrokeredEndpoint("/modules/benchsink/inputs/in")
# The publishers are leaf devices registered with edge:device-add (SAS tokens from their keys); the subscriber
# connects AS the module, from the container's IOTEDGE_* environment (docker inspect), its SAS token signed by the
# workload API on the module's unix socket. In (d) the module is disconnected and the messages wait in its input's
# durable queue.
#
# Needs the assembly built (assembly/target/outpost-<version>.tar.gz, mvn install) and a Docker engine
# (scripts/docker-engine.sh). Builds bench/hub-tool from this tree through the reactor (mvn package -pl
# bench/hub-tool -am; extra Maven arguments from OUTPOST_MVN_ARGS, e.g. -o) and runs it on its runtime class path
# (target/classes and target/lib).
# OUTPOST_BENCH_JFR=FILE records the edge with Java Flight Recorder (profile settings) into FILE.
# Everything it starts (the edge, its module container, Mosquitto) is stopped on exit; OUTPOST_BENCH_KEEP=1 keeps
# the temporary folder. Runs on one machine take turns (a lock, /tmp/outpost-bench-hub.lock): the module's
# container is named benchsink whatever the device.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
quick=no
results=""
tool_args=()
usage="usage: bench/hub.sh [--quick] [--results FILE] [--messages N] [--rate R] [--duration S] [--drain M] [--warmup W] [--time-limit S]"
while (( $# > 0 )); do
  case "$1" in
    --quick) quick=yes; tool_args+=(--quick); shift ;;
    --results) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; results=$(readlink -f "$2"); shift 2 ;;
    --messages | --rate | --duration | --drain | --warmup | --time-limit)
      [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "$1 needs a number; $usage" >&2; exit 2; }
      tool_args+=("$1" "$2"); shift 2 ;;
    -h | --help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done

t0=$SECONDS
say() { printf 'bench: [%3ds] %s\n' $((SECONDS - t0)) "$*" >&2; }
die() { say "error: $*"; exit 2; }

version=$(sed -n 's#^  <version>\(.*\)</version>#\1#p' "$top/pom.xml" | head -n 1)
outpost_tgz="$top/assembly/target/outpost-$version.tar.gz"
[[ -f $outpost_tgz ]] || die "build first (mvn install -DskipTests): $outpost_tgz is missing"

module=benchsink
leaves=10
image=outpost/base-busybox:1
bench_id=hubbench-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
work=$(mktemp -d /tmp/outpost-bench-hub.XXXXXX)
edge=$work/edge
mosquitto_pid=""
start_pid=""
tool_pid=""

# Stops what this run started, by the ids it noted: the edge (bin/outpost stop, then its JVM by pid if it stays),
# the module containers of this run's device id, Mosquitto.
cleanup() {
  local rc=$?
  # a second signal must not cut the clean-up short
  trap '' INT TERM
  trap - EXIT
  if [[ -n $tool_pid ]]; then kill "$tool_pid" 2>/dev/null || true; wait "$tool_pid" 2>/dev/null || true; fi
  if [[ -n $start_pid ]]; then kill "$start_pid" 2>/dev/null || true; wait "$start_pid" 2>/dev/null || true; fi
  if [[ -x $edge/bin/outpost ]]; then
    local pid
    pid=$(cat "$edge/karaf.pid" 2>/dev/null || true)
    OUTPOST_STOP_TIMEOUT=30 "$edge/bin/outpost" stop >/dev/null 2>&1 || true
    if [[ $pid =~ ^[0-9]+$ ]] && ps -p "$pid" -o args= 2>/dev/null | grep -q "karaf.home=$edge "; then
      kill "$pid" 2>/dev/null || true
      sleep 2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  local ids
  ids=$(docker ps -aq --filter "label=io.outpost.device=$bench_id" 2>/dev/null || true)
  # shellcheck disable=SC2086
  [[ -n $ids ]] && docker rm -f $ids >/dev/null 2>&1 || true
  if [[ -n $mosquitto_pid ]]; then
    kill "$mosquitto_pid" 2>/dev/null || true
    wait "$mosquitto_pid" 2>/dev/null || true
  fi
  if [[ -n ${OUTPOST_BENCH_KEEP:-} ]]; then say "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sets $port to a free loopback port, never one handed out before in this run (not in a subshell: $taken).
taken=" "
port=""
free_port() {
  while :; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    [[ $taken == *" $port "* ]] || break
  done
  taken+="$port "
}

# Sets key = value in a Karaf .cfg file, adding the key when it is missing.
set_cfg() {
  local file=$1 key=$2 value=$3
  if grep -q "^[[:space:]]*$key[[:space:]]*=" "$file" 2>/dev/null; then
    sed -i "s|^[[:space:]]*$key[[:space:]]*=.*|$key = $value|" "$file"
  else
    printf '%s = %s\n' "$key" "$value" >> "$file"
  fi
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One run at a time on this machine: the module's container is named after it (benchsink) whatever the device.
exec 9>/tmp/outpost-bench-hub.lock
if ! flock -n 9; then
  say "another bench/hub.sh runs (module $module is one container name per Docker engine): waiting for it"
  flock -w 1800 9 || die "the other bench/hub.sh did not end within 30 minutes"
fi

say "packages, Docker engine and base images"
"$top/scripts/install-deps.sh" bench >"$work/deps.log" 2>&1 || { cat "$work/deps.log" >&2; die "scripts/install-deps.sh bench failed"; }
"$top/scripts/docker-engine.sh" >"$work/engine.log" 2>&1 9>&- || { cat "$work/engine.log" >&2; die "no Docker engine (scripts/docker-engine.sh)"; }
"$top/scripts/base-images.sh" >"$work/images.log" 2>&1 || { tail -n 20 "$work/images.log" >&2; die "scripts/base-images.sh failed"; }
other=$(docker ps -a --filter "name=^/$module\$" --format '{{.Label "io.outpost.device"}} {{.Status}}')
[[ -z $other ]] || die "a container named $module exists already (device '${other%% *}', ${other#* }): another hub benchmark or a leftover; remove it (docker rm -f $module)"

# The edge: installed as the quickstart does, every port moved to a free one, started in the background while
# the tool is built and Mosquitto starts.
say "installing Outpost $version into $edge (device $bench_id)"
cp "$outpost_tgz" "$work/outpost.tar.gz"
mkdir -p "$work/unpack"
tar xzf "$work/outpost.tar.gz" -C "$work/unpack"
rm -f "$work/outpost.tar.gz"
free_port; ssh_port=$port
free_port; http_port=$port
free_port; rmi_registry_port=$port
free_port; rmi_server_port=$port
OUTPOST_SSH_PORT=$ssh_port OUTPOST_HTTP_PORT=$http_port OUTPOST_RMI_REGISTRY_PORT=$rmi_registry_port \
  OUTPOST_RMI_SERVER_PORT=$rmi_server_port \
  "$work/unpack/outpost-$version/install.sh" --profile edge --prefix "$edge" --user "$(id -un)" --no-systemd >"$work/install.log" 2>&1 \
  || { cat "$work/install.log" >&2; die "install.sh failed"; }
rm -rf "$work/unpack"
free_port; hub_port=$port
free_port; hub_tls_port=$port
free_port; metrics_port=$port
set_cfg "$edge/etc/io.outpost.agent.cfg" deviceId "$bench_id"
set_cfg "$edge/etc/io.outpost.hub.store.cfg" deviceId "$bench_id"
set_cfg "$edge/etc/io.outpost.hub.store.cfg" mqttTlsPort "$hub_tls_port"
set_cfg "$edge/etc/io.outpost.hub.store.cfg" mqttPlainPort "$hub_port"
set_cfg "$edge/etc/io.outpost.metrics.cfg" port "$metrics_port"
for cfg in org.apache.karaf.shell.cfg:sshPort org.ops4j.pax.web.cfg:org.osgi.service.http.port \
    org.apache.karaf.management.cfg:rmiRegistryPort org.apache.karaf.management.cfg:rmiServerPort; do
  p=$(sed -n "s/^[[:space:]]*${cfg#*:}[[:space:]]*=[[:space:]]*//p" "$edge/etc/${cfg%%:*}")
  [[ $p =~ ^[0-9]+$ && $p -gt 1024 && $taken == *" $p "* ]] || die "${cfg#*:} in etc/${cfg%%:*} is '$p', not a port of this run"
done
say "starting Outpost (first boot installs its features)"
jvm_opts=()
if [[ -n ${OUTPOST_BENCH_JFR:-} ]]; then
  # the runtime's default options (bin/setenv) plus a Java Flight Recorder recording of the whole run
  jvm_opts=(EXTRA_JAVA_OPTS="-Xms64m -Xmx${OUTPOST_HEAP:-256m} -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$(readlink -f "$OUTPOST_BENCH_JFR")")
  say "recording the edge with Java Flight Recorder into $OUTPOST_BENCH_JFR (written when it stops)"
fi
env "${jvm_opts[@]}" OUTPOST_START_TIMEOUT=300 "$edge/bin/outpost" start >"$work/start.log" 2>&1 9>&- &
start_pid=$!

say "building bench/hub-tool (mvn package -pl bench/hub-tool -am, tests not run)"
tool=$top/bench/hub-tool/target
rm -rf "$tool/lib"
# shellcheck disable=SC2086
if ! (cd "$top" && mvn -B -ntp -Dstyle.color=never ${OUTPOST_MVN_ARGS:-} -DskipTests package -pl bench/hub-tool -am) \
     >"$work/build.log" 2>&1; then
  grep -E '^\[(ERROR|WARNING)\]' "$work/build.log" | head -n 40 >&2 || tail -n 40 "$work/build.log" >&2
  die "cannot build bench/hub-tool (mvn package -pl bench/hub-tool -am; its errors above)"
fi
[[ -d $tool/classes/io/outpost/bench/hub && -d $tool/lib ]] || die "the build left no $tool/classes and $tool/lib"

free_port; mosquitto_port=$port
mkdir -p "$work/mosquitto"
cat >"$work/mosquitto/mosquitto.conf" <<EOF
listener $mosquitto_port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $work/mosquitto/
max_queued_messages 0
max_inflight_messages 16
log_dest stderr
log_type error
log_type warning
EOF
mosquitto_version=$( (mosquitto -h 2>/dev/null || true) | sed -n 's/^mosquitto version \([^ ]*\).*/\1/p' | head -n 1)
mosquitto -c "$work/mosquitto/mosquitto.conf" >"$work/mosquitto/mosquitto.log" 2>&1 9>&- &
mosquitto_pid=$!
for _ in $(seq 1 50); do port_answers "$mosquitto_port" && break; sleep 0.1; done
port_answers "$mosquitto_port" || { cat "$work/mosquitto/mosquitto.log" >&2; die "Mosquitto does not listen on 127.0.0.1:$mosquitto_port"; }
say "Mosquitto $mosquitto_version on 127.0.0.1:$mosquitto_port (pid $mosquitto_pid)"

if ! wait "$start_pid"; then
  start_pid=""
  cat "$work/start.log" >&2
  die "Outpost did not start; see $edge/data/log/karaf.log (OUTPOST_BENCH_KEEP=1 keeps it)"
fi
start_pid=""
edge_pid=$(cat "$edge/karaf.pid")
say "Outpost running (pid $edge_pid); hub's plain MQTT listener on 127.0.0.1:$hub_port"

cat >"$work/deployment.json" <<EOF
{"modulesContent": {
  "\$edgeAgent": {"properties.desired": {"schemaVersion": "1.1",
    "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25"}},
    "systemModules": {
      "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent:1", "createOptions": "{}"}},
      "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
        "settings": {"image": "outpost/hub:1", "createOptions": "{}"}}},
    "modules": {
      "$module": {"version": "1.0", "type": "docker", "status": "running", "restartPolicy": "always",
        "imagePullPolicy": "never",
        "settings": {"image": "$image",
          "createOptions": "{\"Cmd\":[\"sleep\",\"86400\"],\"HostConfig\":{\"NetworkMode\":\"host\"}}"}}}}},
  "\$edgeHub": {"properties.desired": {"schemaVersion": "1.2",
    "routes": {"leavesToSink": {"route": "FROM /messages/* WHERE NOT IS_DEFINED(\$connectionModuleId) INTO BrokeredEndpoint(\"/modules/$module/inputs/in\")", "priority": 0}},
    "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}}
EOF
say "deploying module $module and its route (bin/outpost deploy)"
"$edge/bin/outpost" deploy "$work/deployment.json" --timeout 180 >"$work/deploy.log" 2>&1 \
  || { cat "$work/deploy.log" >&2; die "the deployment did not converge"; }

say "registering $leaves leaf devices (edge:device-add)"
for ((i = 0; i < leaves; i++)); do printf 'edge:device-add %s-leaf-%d\n' "$bench_id" "$i"; done \
  | "$edge/bin/outpost" shell >"$work/device-add.log" 2>&1 || true
sed -n 's/^Connection: *//p' "$work/device-add.log" | tr -d '\r' >"$work/leaves.txt"
(( $(wc -l <"$work/leaves.txt") == leaves )) || { cat "$work/device-add.log" >&2; die "edge:device-add gave $(wc -l <"$work/leaves.txt") connection strings, not $leaves"; }

# What the module container was given, as a module reads it, and the bind through which its workload socket is
# found on this host.
container=$(docker ps -q --filter "label=io.outpost.device=$bench_id" --filter "label=io.outpost.module=$module")
[[ -n $container ]] || die "no running container of module $module"
docker inspect --type container "$container" >"$work/module-inspect.json"

args=(--mosquitto-port "$mosquitto_port" --mosquitto-pid "$mosquitto_pid" --mosquitto-version "$mosquitto_version"
  --hub-port "$hub_port" --edge-pid "$edge_pid" --module-inspect "$work/module-inspect.json"
  --leaves "$work/leaves.txt" --publishers "$leaves" "${tool_args[@]}")
[[ -n $results ]] && args+=(--results "$results")
say "ready; running the scenarios (Mosquitto, then Outpost, each)"
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
status=0
# in the background, so that a signal is handled at once (the clean-up stops the tool too)
"$java_bin" -Xms128m -Xmx512m -cp "$tool/classes:$tool/lib/*" io.outpost.bench.hub.HubBench "${args[@]}" 9>&- &
tool_pid=$!
wait "$tool_pid" || status=$?
tool_pid=""
if (( status != 0 )); then
  say "failed (exit $status); the edge's log: $edge/data/log/karaf.log (OUTPOST_BENCH_KEEP=1 keeps it)"
  grep -E ' (WARN|ERROR) ' "$edge/data/log/karaf.log" 2>/dev/null | tail -n 20 >&2 || true
  exit 1
fi
say "done"
