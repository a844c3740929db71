#!/usr/bin/env bash
# Runs every test of Outpost: unit tests, integration tests on the Docker engine, Pax Exam tests in the
# built distribution and end-to-end tests of the assembly. Needs JDK 17 and Maven 3.8; makes a Docker
# engine answer first (scripts/docker-engine.sh) and builds the local base images (scripts/base-images.sh).
#
#   scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "Docker engine"
scripts/docker-engine.sh
if [[ -x scripts/base-images.sh ]]; then
  step "base images"
  scripts/base-images.sh
fi

step "build and test (mvn clean install)"
start=$SECONDS
mvn -B -ntp clean install "$@"
step "all tests passed in $((SECONDS - start))s"
