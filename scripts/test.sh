#!/usr/bin/env bash
# Runs every test of Outpost: unit tests, integration tests on the Docker engine, Pax Exam tests in the
# built distribution, end-to-end tests of the assembly (the quickstart among them, built from a clean clone
# against a Maven repository without any Outpost artifact), then every benchmark's --quick smoke run, so that a
# benchmark that no longer builds or runs fails the build. Needs JDK 17 and Maven 3.8, and root on Debian for the OS packages:
# installs what is missing with scripts/install-deps.sh test, makes a Docker engine answer
# (scripts/docker-engine.sh) and builds the local base images (scripts/base-images.sh).
#
#   scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
start=$SECONDS

step "OS packages"
scripts/install-deps.sh test

step "Docker engine"
scripts/docker-engine.sh

step "base images"
scripts/base-images.sh

step "build and test (mvn clean install)"
mvn -B -ntp clean install "$@"

step "benchmark smoke runs (bench/run-all.sh --quick)"
OUTPOST_MVN_ARGS="$*" bench/run-all.sh --quick

step "all tests passed in $((SECONDS - start))s"
