#!/usr/bin/env bash
#
# Deployment benchmark: the time from `bin/outpost deploy` of N busybox modules (sleep loops, host
# networking) to all of them running, next to a script doing the same N `docker run -d --network host` in
# the same run (the baseline). Prints both times and the ratio Outpost / docker run (goal: within 1.1x).
#
#   bench/deploy.sh [--modules N] [--runs R] [--quick] [--results FILE]
#
# --quick: 3 modules, one run (a smoke run). --results FILE: also appends the figures to FILE as RESULT lines
# for bench/run-all.sh.
#
# The assembly is unpacked fresh into a temporary folder, with free ports of 127.0.0.1, a console user, a device
# id of its own and the agent's default settings; it is started once (start-up is not measured) and every run
# deploys a manifest of N new module names, so each run creates N containers. The time is measured around
# `bin/outpost deploy` (which returns when the deployment converged: every module running), including the
# console round trip. Needs the assembly built (mvn install) and a Docker engine (scripts/docker-engine.sh).
# Every container created here is removed at the end.
#
# Restart latency: after the deployment runs, one module (restart policy always) is deployed, its container's main
# process is killed with SIGKILL from the host (a crash; `docker kill` would not do for the baseline: Docker counts
# it as a manual stop and does not restart the container), and the time from its exit to its next start is read from the engine (docker inspect:
# State.FinishedAt of the killed run to State.StartedAt of the next), next to a plain container run with Docker's
# own `--restart always` and killed the same way in the same run (the baseline). Outpost applies its restart
# rules (Azure's: the first restart after restartBackoffInitialSecs, default 10 s), so the figure is that cool-off
# plus the time to notice the death (the engine's event, at once) and start the container.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
modules=10
runs=3
results=""
while (( $# > 0 )); do
  case "$1" in
    --modules) modules=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --quick) modules=3; runs=1; shift ;;
    --results) results=$2; shift 2 ;;
    *) echo "usage: bench/deploy.sh [--modules N] [--runs R] [--quick] [--results FILE]" >&2; exit 2 ;;
  esac
done

say() { printf 'bench: %s\n' "$*" >&2; }

version=$(sed -n 's#^  <version>\(.*\)</version>#\1#p' "$top/pom.xml" | head -n 1)
outpost_tgz="$top/assembly/target/outpost-$version.tar.gz"
[[ -f $outpost_tgz ]] || { say "build first (mvn install -DskipTests): $outpost_tgz is missing"; exit 2; }
"$top/scripts/docker-engine.sh" --check >/dev/null 2>&1 || { say "no Docker engine: run scripts/docker-engine.sh"; exit 2; }
"$top/scripts/base-images.sh" >/dev/null

image=outpost/base-busybox:1
bench_id=bench-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
loop="trap 'exit 0' TERM; while true; do sleep 1; done"
work=$(mktemp -d /tmp/outpost-bench-deploy.XXXXXX)
dir=$work/outpost

cleanup() {
  [[ -x $dir/bin/outpost ]] && "$dir/bin/outpost" stop >/dev/null 2>&1 || true
  while pgrep -f "karaf.home=$dir" >/dev/null 2>&1; do sleep 0.2; done
  local ids
  ids=$(docker ps -aq --filter "label=io.outpost.device=$bench_id"; docker ps -aq --filter "name=$bench_id-run")
  [[ -n $ids ]] && docker rm -f $ids >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

export EXTRA_JAVA_OPTS="-Xms64m -Xmx256m -XX:+UseSerialGC"
mkdir -p "$dir"
tar xzf "$outpost_tgz" -C "$dir" --strip-components=1
sed -i "s/^sshPort *=.*/sshPort = $(free_port)/" "$dir/etc/org.apache.karaf.shell.cfg"
sed -i "s/^sshHost *=.*/sshHost = 127.0.0.1/" "$dir/etc/org.apache.karaf.shell.cfg"
sed -i -e "s/^rmiRegistryPort *=.*/rmiRegistryPort = $(free_port)/" \
       -e "s/^rmiServerPort *=.*/rmiServerPort = $(free_port)/" "$dir/etc/org.apache.karaf.management.cfg"
sed -i "s/^deviceId *=.*/deviceId = $bench_id/" "$dir/etc/io.outpost.agent.cfg"
# the hub's MQTT listener and the metrics endpoint, off their default ports (a running Outpost may hold them)
sed -i "s/^mqttTlsPort *=.*/mqttTlsPort = $(free_port)/" "$dir/etc/io.outpost.hub.store.cfg"
sed -i "s/^port *=.*/port = $(free_port)/" "$dir/etc/io.outpost.metrics.cfg"
say "starting Outpost (device $bench_id)"
OUTPOST_START_TIMEOUT=300 "$dir/bin/outpost" start >/dev/null 2>&1

# manifest <run> [count]: count (default N) modules named <bench>-o<run>-<i>, all in one startupOrder group.
manifest() {
  local entries=() i n=${2:-$modules}
  for ((i = 1; i <= n; i++)); do
    entries+=("\"$bench_id-o$1-$i\": {\"version\": \"1.0\", \"type\": \"docker\", \"status\": \"running\",
      \"restartPolicy\": \"always\", \"imagePullPolicy\": \"never\", \"settings\": {\"image\": \"$image\",
      \"createOptions\": \"{\\\"Cmd\\\":[\\\"sh\\\",\\\"-c\\\",\\\"$loop\\\"]}\"}}")
  done
  local IFS=,
  cat <<EOF
{"modulesContent": {"\$edgeAgent": {"properties.desired": {"schemaVersion": "1.1",
  "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25"}},
  "systemModules": {"edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent:1", "createOptions": "{}"}},
    "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
      "settings": {"image": "outpost/hub:1", "createOptions": "{}"}}},
  "modules": {${entries[*]}}}},
  "\$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {},
    "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}}
EOF
}

running_count() { docker ps -q --filter "label=io.outpost.device=$bench_id" --filter status=running | wc -l; }

# Outpost: deploy returns when the deployment converged (every module running).
outpost_ms() {
  local file="$work/deployment-$1.json" t0 t1
  manifest "$1" > "$file"
  t0=$(now_ms)
  "$dir/bin/outpost" deploy "$file" --timeout 300 >"$work/deploy-$1.log" 2>&1 \
    || { cat "$work/deploy-$1.log" >&2; say "deploy failed"; exit 1; }
  t1=$(now_ms)
  (( $(running_count) == modules )) || { say "expected $modules running containers"; exit 1; }
  # not measured: a deployment without modules removes them before the next run
  manifest none 0 > "$work/empty.json"
  "$dir/bin/outpost" deploy "$work/empty.json" --timeout 300 >/dev/null 2>&1 || { say "cleanup deploy failed"; exit 1; }
  echo $(( t1 - t0 ))
}

# Baseline: the same N containers with docker run -d, one after the other, then wait until all run.
docker_ms() {
  local t0 t1 i
  t0=$(now_ms)
  for ((i = 1; i <= modules; i++)); do
    docker run -d --name "$bench_id-run$1-$i" --network host "$image" sh -c "$loop" >/dev/null
  done
  until (( $(docker ps -q --filter "name=$bench_id-run$1-" --filter status=running | wc -l) == modules )); do sleep 0.05; done
  t1=$(now_ms)
  echo $(( t1 - t0 ))
}

remove_run() {
  local ids
  ids=$(docker ps -aq --filter "name=$bench_id-run$1-")
  [[ -n $ids ]] && docker rm -f $ids >/dev/null
}

# restart_gap <container>: waits (up to 120 s) until the container runs again after the kill, then prints the
# engine's gap between the killed run's exit and the new run's start, in ms.
restart_gap() {
  local name=$1 before=$2 state i
  for ((i = 0; i < 1200; i++)); do
    state=$(docker inspect --type container --format '{{.State.Running}} {{.State.StartedAt}} {{.State.FinishedAt}}' "$name")
    read -r running started finished <<<"$state"
    if [[ $running == true && $started != "$before" ]]; then
      echo $(( ($(date -d "$started" +%s%N) - $(date -d "$finished" +%s%N)) / 1000000 ))
      return
    fi
    sleep 0.1
  done
  say "$name was not restarted within 120 s"; exit 1
}

# kill_and_time <container>: SIGKILL to the container's main process, then the restart gap.
kill_and_time() {
  local before pid
  read -r before pid <<<"$(docker inspect --type container --format '{{.State.StartedAt}} {{.State.Pid}}' "$1")"
  kill -KILL "$pid" 2>/dev/null || sudo -n kill -KILL "$pid" || { say "cannot kill process $pid of $1"; exit 1; }
  restart_gap "$1" "$before"
}

# Outpost: one module deployed, its container killed, until the agent started it again.
outpost_restart_ms() {
  local file="$work/deployment-restart.json" name="$bench_id-orestart-1"
  manifest restart 1 > "$file"
  "$dir/bin/outpost" deploy "$file" --timeout 300 >/dev/null 2>&1 || { say "restart deploy failed"; exit 1; }
  kill_and_time "$name"
}

# Baseline: Docker's own --restart always, the container killed the same way.
docker_restart_ms() {
  local name="$bench_id-run-restart"
  docker run -d --restart always --name "$name" --network host "$image" sh -c "$loop" >/dev/null
  until [[ $(docker inspect --type container --format '{{.State.Running}}' "$name") == true ]]; do sleep 0.05; done
  kill_and_time "$name"
  docker rm -f "$name" >/dev/null
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

o=() d=()
for ((r = 1; r <= runs; r++)); do
  d+=("$(docker_ms "$r")")
  remove_run "$r"
  o+=("$(outpost_ms "$r")")
  say "run $r/$runs: docker run ${d[-1]} ms, outpost deploy ${o[-1]} ms"
done
rd=$(docker_restart_ms)
ro=$(outpost_restart_ms)
say "restart: docker --restart always ${rd} ms, outpost ${ro} ms"
"$dir/bin/outpost" stop >/dev/null 2>&1 || true

om=$(printf '%s\n' "${o[@]}" | median)
dm=$(printf '%s\n' "${d[@]}" | median)
printf '\nDeploy %d busybox modules to all running, median of %d runs (%s cores)\n\n' "$modules" "$runs" "$(nproc)"
printf '| %-40s | %8s |\n|---|---|\n' "what" "ms"
printf '| %-40s | %8d |\n' "$modules x docker run -d --network host" "$dm"
printf '| %-40s | %8d |\n' "bin/outpost deploy (to converged)" "$om"
printf '\nratio outpost / docker run: %s\n' "$(awk -v a="$om" -v b="$dm" 'BEGIN { printf "%.2fx", a / b }')"
printf '\nA killed container, from its exit to its next start (engine times, one kill each)\n\n'
printf '| %-40s | %8s |\n|---|---|\n' "what" "ms"
printf '| %-40s | %8d |\n' "docker run --restart always, killed" "$rd"
printf '| %-40s | %8d |\n' "outpost module, killed" "$ro"
printf '\nratio outpost / docker restart: %s (outpost waits its first restart cool-off: restartBackoffInitialSecs = %s s)\n' \
  "$(awk -v a="$ro" -v b="$rd" 'BEGIN { printf "%.2fx", a / (b > 0 ? b : 1) }')" \
  "$(sed -n 's/^restartBackoffInitialSecs *= *//p' "$dir/etc/io.outpost.agent.cfg")"
if [[ -n $results ]]; then
  printf 'RESULT bench="deploy" metric="deploy_%d" label="%d modules deployed and running" chart="deploy" unit="ms" better="lower" baseline_label="%d x docker run -d" baseline="%s" value="%s"\n' \
    "$modules" "$modules" "$modules" "$dm" "$om" >> "$results"
  printf 'RESULT bench="deploy" metric="restart_latency" label="killed module running again" chart="restart" unit="ms" better="lower" baseline_label="docker --restart always" baseline="%s" value="%s"\n' \
    "$rd" "$ro" >> "$results"
fi
