#!/usr/bin/env bash
# Regenerates docs/reference/shell.md and docs/reference/cli.md from the commands themselves: the Karaf
# @Command classes of every module that has some (found by their sources), picocli's usage of outpost-cli and
# `bin/outpost help` of the assembly. The build's check (tools/reference, ReferenceDocsTest) fails whenever the
# committed files differ from what this writes.
#
#   scripts/gen-reference.sh [extra Maven arguments, e.g. -o]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$top"

# the modules with Karaf commands: the same rule as the generator (a main source importing @Command)
mapfile -t modules < <(grep -rl --include='*.java' '^import org\.apache\.karaf\.shell\.api\.action\.Command;' \
  --exclude-dir=target --exclude-dir=test . | sed -n 's#^\./\(.*\)/src/main/java/.*#\1#p' | sort -u)
list=$(IFS=,; echo "${modules[*]:+${modules[*]},}tools/reference")
echo "gen-reference: compiling $list" >&2
mvn -B -q -ntp -Dstyle.color=never "$@" install -DskipTests -pl "$list" -am

cp_file=$(mktemp /tmp/outpost-reference-cp.XXXXXX)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -Dstyle.color=never "$@" -f tools/reference/pom.xml dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
java -cp "tools/reference/target/classes:$(cat "$cp_file")" io.outpost.tools.reference.ReferenceDocs --write "$top"
