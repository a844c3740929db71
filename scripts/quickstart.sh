#!/usr/bin/env bash
# The quickstart: from a fresh clone to Outpost Cloud and Outpost Edge running on this machine, the edge
# registered in the cloud and running the sample modules deployed from it.
#
#   scripts/quickstart.sh          OS packages (scripts/install-deps.sh run), build (when the sources
#                                  changed), Docker engine, images, cloud, edge, device registration, fleet
#                                  deployment; then the dashboard URL, the credentials and `bin/outpost list`
#   scripts/quickstart.sh status   whether the cloud and the edge run, the modules and the deployment
#   scripts/quickstart.sh stop     stop the edge, remove the quickstart's module containers, stop the cloud
#
# Running it again is fast: nothing is rebuilt or reinstalled when unchanged, what runs is left running, the
# registered device is kept and the deployment is replaced only when samples/quickstart/deployment.json changed.
#
# Settings (environment):
#   OUTPOST_ASSEMBLY        an already built assembly tar.gz to install (skips the build step)
#   OUTPOST_MVN_ARGS        extra Maven arguments for the builds (e.g. -o -Dmaven.repo.local=/path)
#   OUTPOST_CLOUD_PREFIX    where the cloud goes (default <clone>/run/cloud)
#   OUTPOST_PREFIX          where the edge goes (default <clone>/run/outpost)
#   OUTPOST_QUICKSTART_DEVICE  the edge's device id (default quickstart-edge)
#   OUTPOST_QUICKSTART_WAIT    seconds to wait for the deployment to succeed (default 300)
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$top"
cloud=${OUTPOST_CLOUD_PREFIX:-$top/run/cloud}
edge=${OUTPOST_PREFIX:-$top/run/outpost}
device=${OUTPOST_QUICKSTART_DEVICE:-quickstart-edge}
wait_secs=${OUTPOST_QUICKSTART_WAIT:-300}
deployment_file=$top/samples/quickstart/deployment.json
deployment_id=quickstart
tag_condition="tags.environment = 'quickstart'"
api=http://127.0.0.1:8080/api/v1
version=$(sed -n 's#^  <version>\(.*\)</version>#\1#p' pom.xml | head -n 1)
cloud_ports=(8080 8884 8102 1100 44445)
edge_ports=(8883 8101 1099 44444)

die() { printf 'quickstart: error: %s\n' "$*" >&2; exit 1; }
indent() { sed 's/^/      /' >&2; }

# Progress: each step with the time since the start, and the time the previous step took.
readonly steps=8
n=0
t_start=$SECONDS
t_step=$SECONDS
step() {
  local now=$SECONDS
  if (( n > 0 )); then printf '      done in %ds\n' $((now - t_step)) >&2; fi
  n=$((n + 1))
  t_step=$now
  printf '[%d/%d] %-10s (at %ds)\n' "$n" "$steps" "$1" $((now - t_start)) >&2
}

# Sets key = value in a Karaf .cfg file; the file is written only when the value changes (a write makes
# Karaf apply the configuration again).
set_cfg() {
  local file=$1 key=$2 value=$3
  if [[ -f $file ]] && grep -qxF "$key = $value" "$file"; then return 0; fi
  local tmp
  tmp=$(mktemp "$file.XXXX")
  { [[ -f $file ]] && grep -v "^[[:space:]]*$key[[:space:]]*=" "$file"; printf '%s = %s\n' "$key" "$value"; } > "$tmp" || true
  chmod --reference="$file" "$tmp" 2>/dev/null || true
  mv "$tmp" "$file"
}

running() { [[ -x $1/bin/outpost ]] && "$1/bin/outpost" status >/dev/null 2>&1; }

# Fails naming the port when one of the product's default ports is taken by something else.
check_ports() {
  local what=$1; shift
  local p
  for p in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      die "port $p (needed by the $what) is in use by another process on 127.0.0.1; stop it (ss -ltnp 'sport = :$p' names it) and run again"
    fi
  done
}

token() { cat "$cloud/etc/outpost-cloud.token"; }

# curl against the cloud's REST API with the admin token: api METHOD PATH [BODY]; prints the body, and the
# HTTP status on a last line of its own.
api() {
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -X "$method" -H "Authorization: Bearer $(token)" -w '\n%{http_code}')
  if [[ -n $body ]]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  curl "${args[@]}" "$api$path"
}
status_of() { tail -n 1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }
json_field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n 1 | sed 's/^[^:]*://; s/"//g'; }

install_into() {
  local prefix=$1 profile=$2
  local stamp="$prefix/.installed-from" sum
  sum=$(sha256sum "$tarball" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$sum" ]]; then
    printf 'already installed in %s\n' "$prefix" | indent
    return 0
  fi
  if running "$prefix"; then "$prefix/bin/outpost" stop 2>&1 | indent; fi
  local unpack
  unpack=$(mktemp -d)
  tar xzf "$tarball" -C "$unpack"
  "$unpack/outpost-$version/install.sh" --profile "$profile" --prefix "$prefix" --user "$(id -un)" --no-systemd 2>&1 | indent
  rm -rf "$unpack"
  echo "$sum" > "$stamp"
}

summary() {
  local dash_token url
  dash_token=$(cat "$cloud/etc/quickstart-dashboard.token" 2>/dev/null || true)
  url="http://127.0.0.1:8080/dashboard/?device=$device"
  [[ -n $dash_token ]] && url="$url#token=$dash_token"
  cat <<INFO

Outpost Cloud and Outpost Edge $version are running; the edge '$device' runs deployment '$deployment_id'.

  dashboard       $url
                  (a read-only API token in the link: $cloud/etc/quickstart-dashboard.token)
  API token       $cloud/etc/outpost-cloud.token (admin; REST API at $api)
  cloud console   $cloud/bin/outpost shell    (user and password: $cloud/etc/outpost-shell.credentials)
  edge console    $edge/bin/outpost shell     (user and password: $edge/etc/outpost-shell.credentials)
  cloud commands  $cloud/bin/outpost cloud device-list | deployment-show $deployment_id
  edge commands   $edge/bin/outpost list | deployment | logs filter
  stop            scripts/quickstart.sh stop  (or $edge/bin/outpost stop; $cloud/bin/outpost stop)

$edge/bin/outpost list
INFO
  "$edge/bin/outpost" list
}

cmd_status() {
  local rc=0
  printf 'cloud (%s): ' "$cloud"
  if running "$cloud"; then echo running; else echo 'not running'; rc=3; fi
  printf 'edge  (%s): ' "$edge"
  if running "$edge"; then
    echo running
    "$edge/bin/outpost" list
    "$edge/bin/outpost" deployment
  else
    echo 'not running'; rc=3
  fi
  if running "$cloud"; then "$cloud/bin/outpost" cloud deployment-list; fi
  return $rc
}

cmd_stop() {
  if [[ -x $edge/bin/outpost ]]; then printf 'edge:  ' >&2; "$edge/bin/outpost" stop; fi
  if command -v docker >/dev/null 2>&1 && timeout 15 docker version >/dev/null 2>&1; then
    local ids
    ids=$(docker ps -aq --filter "label=io.outpost.device=$device")
    if [[ -n $ids ]]; then
      printf 'quickstart: removing the module containers of %s: %s\n' "$device" \
        "$(docker ps -a --filter "label=io.outpost.device=$device" --format '{{.Names}}' | paste -sd' ')" >&2
      # shellcheck disable=SC2086
      docker rm -f $ids >/dev/null
    fi
  fi
  if [[ -x $cloud/bin/outpost ]]; then printf 'cloud: ' >&2; "$cloud/bin/outpost" stop; fi
}

case ${1:-start} in
  start) ;;
  status) cmd_status; exit $? ;;
  stop) cmd_stop; exit 0 ;;
  -h|--help|help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown command '$1': expected start (the default), status or stop" ;;
esac

[[ -f $deployment_file ]] || die "$deployment_file is missing"

step packages
scripts/install-deps.sh run 2>&1 | indent || die "the packages the quickstart needs are missing (scripts/install-deps.sh run)"

step build
if [[ -n ${OUTPOST_ASSEMBLY:-} ]]; then
  tarball=$OUTPOST_ASSEMBLY
  [[ -f $tarball ]] || die "OUTPOST_ASSEMBLY=$tarball is not a file"
  printf 'using the assembly %s (OUTPOST_ASSEMBLY)\n' "$tarball" | indent
else
  tarball="$top/assembly/target/outpost-$version.tar.gz"
  if [[ ! -f $tarball ]] || [[ -n $(find pom.xml bundles features karaf-distribution assembly tools -newer "$tarball" \
      -not -path '*/target/*' -not -path '*/src/test/*' -type f -print -quit) ]]; then
    printf 'building Outpost %s (mvn install -DskipTests: test classes and test-jars are built, not run; scripts/test.sh runs the tests)\n' "$version" | indent
    # -DskipTests, not -Dmaven.test.skip: modules depend on other modules' test-jars, which the latter never
    # builds, so a build against a Maven repository without Outpost's artifacts would fail.
    # shellcheck disable=SC2086
    mvn -B -q -ntp -Dstyle.color=never ${OUTPOST_MVN_ARGS:-} install -DskipTests -pl assembly -am 2>&1 | indent \
      || die "the build failed (mvn install -DskipTests -pl assembly -am)"
  else
    printf 'up to date (%s)\n' "${tarball#"$top"/}" | indent
  fi
fi

step engine
scripts/docker-engine.sh 2>&1 | indent || die "no Docker engine (scripts/docker-engine.sh)"

step images
scripts/base-images.sh 2>&1 | indent || die "scripts/base-images.sh failed"
OUTPOST_MVN_ARGS=${OUTPOST_MVN_ARGS:-} scripts/sample-images.sh 2>&1 | indent || die "scripts/sample-images.sh failed"

step cloud
if ! running "$cloud"; then check_ports "cloud" "${cloud_ports[@]}"; fi
install_into "$cloud" cloud
"$cloud/bin/outpost" start 2>&1 | indent || die "the cloud did not start; see $cloud/data/log/karaf.log"
for _ in $(seq 1 60); do
  [[ -s $cloud/etc/outpost-cloud.token ]] && [[ $(status_of "$(api GET /summary 2>/dev/null || true)") == 200 ]] && break
  sleep 1
done
[[ $(status_of "$(api GET /summary)") == 200 ]] || die "the cloud's REST API does not answer at $api/summary"
if [[ ! -s $cloud/etc/quickstart-dashboard.token ]]; then
  dash=$("$cloud/bin/outpost" cloud token-create --scope read --description quickstart-dashboard | tr -d '\r' \
    | grep -Eo '[0-9a-f]{12}\.[A-Za-z0-9_-]+' | head -n 1)
  [[ -n $dash ]] || die "cloud:token-create gave no token"
  (umask 077; echo "$dash" > "$cloud/etc/quickstart-dashboard.token")
fi
printf 'REST API and dashboard at http://127.0.0.1:8080, device endpoint at 127.0.0.1:8884\n' | indent

step edge
if ! running "$edge"; then check_ports "edge" "${edge_ports[@]}"; fi
install_into "$edge" edge
# one device id for the agent, the hub and the cloud; modules (host network) reach the hub as localhost,
# a name its certificate holds
set_cfg "$edge/etc/io.outpost.agent.cfg" deviceId "$device"
set_cfg "$edge/etc/io.outpost.hub.store.cfg" deviceId "$device"
set_cfg "$edge/etc/io.outpost.security.cfg" hostnames "localhost,127.0.0.1"
set_cfg "$edge/etc/io.outpost.security.cfg" gatewayHostName localhost
"$edge/bin/outpost" start 2>&1 | indent || die "the edge did not start; see $edge/data/log/karaf.log"

step register
reply=$(api GET "/devices/$device")
case $(status_of "$reply") in
  200) printf 'device %s is registered\n' "$device" | indent ;;
  404)
    reply=$(api POST /devices "{\"deviceId\":\"$device\",\"tags\":{\"environment\":\"quickstart\"}}")
    [[ $(status_of "$reply") == 201 ]] || die "registering $device: $(body_of "$reply")"
    printf 'registered device %s with tags.environment = quickstart\n' "$device" | indent ;;
  *) die "reading device $device: $(body_of "$reply")" ;;
esac
key=$(json_field primaryKey "$(body_of "$reply")")
[[ -n $key ]] || die "the cloud gave no primaryKey for $device"
twin=$(api GET "/devices/$device/twin")
if ! grep -q '"environment":"quickstart"' <<<"$(body_of "$twin")"; then
  reply=$(api PATCH "/devices/$device/twin" '{"tags":{"environment":"quickstart"}}')
  [[ $(status_of "$reply") == 200 ]] || die "tagging $device: $(body_of "$reply")"
  printf 'tagged %s environment = quickstart\n' "$device" | indent
fi
conn="HostName=outpost-cloud;DeviceId=$device;SharedAccessKey=$key"
if [[ ! -f $edge/etc/cloud-connection-string ]] || [[ $(head -n 1 "$edge/etc/cloud-connection-string") != "$conn" ]]; then
  (umask 077; echo "$conn" > "$edge/etc/cloud-connection-string.tmp")
  mv "$edge/etc/cloud-connection-string.tmp" "$edge/etc/cloud-connection-string"
fi
bundle="$cloud/data/outpost/cloud/endpoint/trust-bundle.pem"
for _ in $(seq 1 30); do [[ -s $bundle ]] && break; sleep 1; done
[[ -s $bundle ]] || die "the cloud wrote no trust bundle at $bundle"
cmp -s "$bundle" "$edge/etc/cloud-trust-bundle.pem" || cp "$bundle" "$edge/etc/cloud-trust-bundle.pem"
set_cfg "$edge/etc/io.outpost.cloud.link.cfg" cloudHost 127.0.0.1
set_cfg "$edge/etc/io.outpost.cloud.link.cfg" cloudPort 8884
set_cfg "$edge/etc/io.outpost.cloud.link.cfg" trustBundleFile "$edge/etc/cloud-trust-bundle.pem"
set_cfg "$edge/etc/io.outpost.cloud.link.cfg" connectionStringFile "$edge/etc/cloud-connection-string"
printf 'edge linked: connection string in etc/cloud-connection-string (mode 600), cloud CA in etc/cloud-trust-bundle.pem\n' | indent

step deployment
sum=$(sha256sum "$deployment_file" | cut -d' ' -f1)
stamp="$cloud/.quickstart-deployment"
reply=$(api GET "/deployments/$deployment_id")
if [[ $(status_of "$reply") == 200 && -f $stamp && $(cat "$stamp") == "$sum" ]]; then
  printf 'deployment %s exists (unchanged %s)\n' "$deployment_id" "${deployment_file#"$top"/}" | indent
else
  if [[ $(status_of "$reply") == 200 ]]; then
    reply=$(api DELETE "/deployments/$deployment_id")
    [[ $(status_of "$reply") == 204 ]] || die "replacing deployment $deployment_id: $(body_of "$reply")"
    printf 'deployment %s replaced (%s changed)\n' "$deployment_id" "${deployment_file#"$top"/}" | indent
  fi
  body="{\"id\":\"$deployment_id\",\"targetCondition\":\"$tag_condition\",\"priority\":10,\"labels\":{\"source\":\"quickstart\"},\"content\":$(cat "$deployment_file")}"
  reply=$(api POST /deployments "$body")
  [[ $(status_of "$reply") == 201 ]] || die "creating deployment $deployment_id: $(body_of "$reply")"
  echo "$sum" > "$stamp"
  printf 'created deployment %s from %s, target %s\n' "$deployment_id" "${deployment_file#"$top"/}" "$tag_condition" | indent
fi
t_wait=$SECONDS
last=""
while :; do
  reply=$(api GET "/deployments/$deployment_id")
  succeeded=$(json_field reportedSuccessfulCount "$(body_of "$reply")")
  failed=$(json_field reportedFailedCount "$(body_of "$reply")")
  list=$("$edge/bin/outpost" list 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' || true)
  modules=$(awk -F'|' '{gsub(/ /,"",$1); gsub(/ /,"",$3)} ($1=="sensor"||$1=="filter") && $3=="running" {n++} END {print n+0}' <<<"$list")
  now="succeeded ${succeeded:-?}, failed ${failed:-?}, modules running $modules/2"
  if [[ $now != "$last" ]]; then printf '%s (%ds)\n' "$now" $((SECONDS - t_wait)) | indent; last=$now; fi
  [[ ${succeeded:-0} == 1 && $modules == 2 ]] && break
  [[ ${failed:-0} == 0 ]] || die "the edge reports deployment $deployment_id failed: $("$edge/bin/outpost" deployment 2>&1)"
  (( SECONDS - t_wait < wait_secs )) || die "deployment $deployment_id did not succeed within ${wait_secs}s ($now); see $edge/bin/outpost deployment and $edge/data/log/karaf.log"
  sleep 2
done
printf '      done in %ds; total %ds\n' $((SECONDS - t_step)) $((SECONDS - t_start)) >&2

summary
