#!/usr/bin/env bash
#
# Runs every benchmark of Outpost (each bench/*.sh but this one, in name order) and writes bench/REPORT.md:
# the machine it ran on, every figure next to its baseline measured in the same run, the ratios, and PNG charts
# under bench/report/ (throughput, latency, start-up, memory, deployment), each titled with the machine.
#
#   bench/run-all.sh [--quick] [--only NAME[,NAME...]] [--report-dir DIR]
#
# --quick       passes --quick to each benchmark: smaller sizes and one run, a smoke run of a few minutes whose
#               figures are not for comparing. The committed bench/REPORT.md and bench/report/*.png are left
#               alone: the report is written to a temporary folder (removed at the end) and printed. CI runs this
#               (scripts/test.sh), so a benchmark that no longer builds or runs fails the build.
# --only        runs only these benchmarks (names without .sh), e.g. --only route,startup.
# --report-dir  writes REPORT.md and report/*.png there instead (kept), in either mode.
#
# The contract a benchmark follows to be picked up: a bench/<name>.sh that accepts --quick and
# --results FILE, keeps its human output on stdout/stderr and appends one line per figure to FILE:
#   RESULT bench="<name>" metric="<id>" label="<text>" chart="<throughput|latency|startup|memory|deploy|...>"
#          unit="<ms|MB|msg/s|...>" better="<lower|higher>" baseline_label="<text>" baseline="<n>" value="<n>"
# (one line; the ratio Outpost / baseline is computed by the report). A benchmark that fails, or that ends
# without a RESULT line, is reported as failed and the others still run; the exit code is 1 when any failed.
# Needs what the benchmarks need: the assembly built (mvn install) and a Docker engine. Each benchmark builds its
# own tool from this tree through the reactor; the charts come from bench/report-tool (JFreeChart, headless),
# built here the same way (mvn package -pl bench/report-tool -am). Extra Maven arguments for every build:
# OUTPOST_MVN_ARGS (e.g. "-o -Dmaven.repo.local=/path").
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
bench="$top/bench"
mode=""
only=""
report_dir=""
while (( $# > 0 )); do
  case "$1" in
    --quick) mode=--quick; shift ;;
    --only) only=$2; shift 2 ;;
    --report-dir) report_dir=$2; shift 2 ;;
    *) echo "usage: bench/run-all.sh [--quick] [--only NAME[,NAME...]] [--report-dir DIR]" >&2; exit 2 ;;
  esac
done

t0=$SECONDS
elapsed() { local s=$((SECONDS - t0)); printf '%d:%02d' $((s / 60)) $((s % 60)); }
say() { printf '\nrun-all [%s] %s\n' "$(elapsed)" "$*" >&2; }

work=$(mktemp -d /tmp/outpost-run-all.XXXXXX)
trap 'rm -rf "$work"' EXIT
results="$work/results.txt"
status="$work/status.tsv"
machine="$work/machine.properties"
: > "$results"
: > "$status"

# The machine, read once before the runs.
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
version=$(sed -n 's#^  <version>\(.*\)</version>#\1#p' "$top/pom.xml" | head -n 1)
{
  printf 'cpu=%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf 'cores=%s\n' "$(nproc)"
  printf 'ram=%s\n' "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  printf 'os=%s\n' "$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -s)"
  printf 'kernel=%s\n' "$(uname -r)"
  printf 'java=%s\n' "$("$java_bin" -version 2>&1 | head -n 1 | cut -d'"' -f2) ($("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.vendor = //p' | head -n 1))"
  printf 'docker=%s\n' "$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo 'not running')"
  printf 'outpost=%s\n' "$version"
  printf 'commit=%s\n' "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$top" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  printf 'date=%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf 'mode=%s\n' "$mode"
} > "$machine"
sed 's/^/  /' "$machine" >&2

say "building the report tool (mvn package -pl bench/report-tool -am)"
tool="$bench/report-tool"
rm -rf "$tool/target/lib"
# shellcheck disable=SC2086
if ! (cd "$top" && mvn -B -ntp -Dstyle.color=never ${OUTPOST_MVN_ARGS:-} -DskipTests package -pl bench/report-tool -am) \
     > "$work/report-tool.log" 2>&1; then
  grep -E '^\[(ERROR|WARNING)\]' "$work/report-tool.log" | head -n 40 >&2 || tail -n 40 "$work/report-tool.log" >&2
  echo "run-all: cannot build bench/report-tool" >&2
  exit 1
fi

mapfile -t scripts < <(find "$bench" -maxdepth 1 -name '*.sh' ! -name run-all.sh -printf '%f\n' | sort)
if [[ -n $only ]]; then
  IFS=, read -r -a wanted <<< "$only"
  selected=()
  for w in "${wanted[@]}"; do
    [[ -f $bench/$w.sh ]] || { echo "run-all: no benchmark bench/$w.sh" >&2; exit 2; }
    selected+=("$w.sh")
  done
  scripts=("${selected[@]}")
fi

failed=0
i=0
for script in "${scripts[@]}"; do
  i=$((i + 1))
  name=${script%.sh}
  args=($mode --results "$results")
  say "[$i/${#scripts[@]}] $name: bench/$script ${mode}"
  start=$SECONDS
  rc=0
  bash "$bench/$script" "${args[@]}" </dev/null || rc=$?
  took=$((SECONDS - start))
  if (( rc == 0 )) && ! grep -q "^RESULT bench=\"$name\" " "$results"; then
    rc=3
    say "[$i/${#scripts[@]}] $name ended without a RESULT line"
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$took" "$mode" >> "$status"
  if (( rc == 0 )); then
    say "[$i/${#scripts[@]}] $name done in ${took}s"
  else
    failed=1
    say "[$i/${#scripts[@]}] $name FAILED (exit $rc) after ${took}s; going on"
  fi
done

# A quick run never touches the committed report: it goes to a temporary folder unless --report-dir says where.
out=$report_dir
[[ -z $out && -z $mode ]] && out=$bench
[[ -n $out ]] || out="$work/report-out"
mkdir -p "$out"
say "writing $out/REPORT.md and $out/report/*.png"
"$java_bin" -Djava.awt.headless=true -cp "$tool/target/classes:$tool/target/lib/*" \
  io.outpost.bench.report.BenchReport "$results" "$machine" "$out" "$status"
if [[ -n $mode ]]; then
  # the figures of a smoke run, printed rather than kept
  sed -n '/^## Figures/,/^## Charts/p' "$out/REPORT.md" | sed '$d' >&2
fi
say "times:"
awk -F'\t' '{ printf "  %-10s %4ds  %s\n", $1, $3, ($2 == 0 ? "ok" : "FAILED (exit " $2 ")") }' "$status" >&2
if (( failed )); then say "done: some benchmarks failed, see above"; else say "done"; fi
exit "$failed"
