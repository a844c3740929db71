#!/usr/bin/env bash
# Builds the images of the sample modules (samples/), with no image registry:
#
#   scripts/sample-images.sh           build the jars when their sources changed, then the images whose jar changed
#   scripts/sample-images.sh --force   rebuild every image
#   scripts/sample-images.sh --list    print the sample images and exit
#
# Images (each also tagged :latest), FROM outpost/base-java17:1 (scripts/base-images.sh builds it when missing):
#   outpost/sim-temp-sensor:1   samples/sim-temp-sensor: the simulated temperature sensor
#   outpost/filter:1            samples/filter: the temperature filter
# Each image carries the label io.outpost.sample.jar-sha256 with the digest of the jar it holds; an image whose
# label matches the jar just built is kept. The jars are reproducible (fixed project.build.outputTimestamp), so
# an unchanged source gives an unchanged jar and no rebuild.
# Settings (environment): OUTPOST_MVN_ARGS (extra Maven arguments for the jar build, e.g. -o).
set -euo pipefail

readonly TAG=1
readonly SAMPLES=(sim-temp-sensor filter)
readonly LABEL=io.outpost.sample.jar-sha256
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

say() { printf 'sample-images: %s\n' "$*"; }
die() { printf 'sample-images: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

force=false
case ${1:-} in
  '') ;;
  --force) force=true ;;
  --list)
    docker images --filter "reference=outpost/sim-temp-sensor" --filter "reference=outpost/filter" \
      --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
    exit 0 ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; die "unknown argument: $1" ;;
esac

command -v docker >/dev/null 2>&1 \
  || die "the docker client is not installed; run scripts/docker-engine.sh to install and start an engine"
timeout 15 docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "no Docker engine answers; run scripts/docker-engine.sh to start one"

if ! docker image inspect outpost/base-java17:1 >/dev/null 2>&1; then
  say "outpost/base-java17:1 is missing; building it with scripts/base-images.sh"
  "$top/scripts/base-images.sh"
fi

jar_of() { printf '%s/samples/%s/target/%s-all.jar\n' "$top" "$1" "$1"; }

# The jars: rebuilt when missing or older than any file of samples/ (or the root pom).
stale=false
for s in "${SAMPLES[@]}"; do
  jar=$(jar_of "$s")
  if [[ ! -f $jar ]] || [[ -n $(find "$top/pom.xml" "$top/samples" -newer "$jar" -type f -not -path '*/target/*' \
      -print -quit) ]]; then
    stale=true
  fi
done
if [[ $stale == true ]]; then
  modules=$(printf 'samples/%s,' "${SAMPLES[@]}")
  say "building the sample jars (mvn install -pl ${modules%,} -am, tests skipped)"
  started=$SECONDS
  (cd "$top" && mvn -B -q -ntp -Dstyle.color=never ${OUTPOST_MVN_ARGS:-} install -DskipTests -pl "${modules%,}" -am)
  say "jars built in $((SECONDS - started))s"
else
  say "jars up to date"
fi

for s in "${SAMPLES[@]}"; do
  image=outpost/$s
  jar=$(jar_of "$s")
  [[ -f $jar ]] || die "$jar was not built"
  digest=$(sha256sum "$jar" | cut -d' ' -f1)
  current=$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$image:$TAG" 2>/dev/null || true)
  if [[ $force == false && $current == "$digest" ]]; then
    docker image inspect "$image:latest" >/dev/null 2>&1 || docker tag "$image:$TAG" "$image:latest"
    say "$image:$TAG is up to date (jar sha256 ${digest:0:12}); skipped"
    continue
  fi
  say "$s: building $image:$TAG (jar sha256 ${digest:0:12})"
  started=$SECONDS
  log=$(mktemp)
  DOCKER_BUILDKIT=0 docker build --network none --label "$LABEL=$digest" \
    -t "$image:$TAG" -t "$image:latest" -f "$top/samples/$s/Dockerfile" "$top/samples/$s" >"$log" 2>&1 \
    || { cat "$log" >&2; rm -f "$log"; die "docker build of $image failed"; }
  rm -f "$log"
  say "$s: built $image:$TAG in $((SECONDS - started))s"
done
