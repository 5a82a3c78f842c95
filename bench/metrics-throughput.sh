#!/usr/bin/env bash
# Sustained throughput of the metric logger (research-core's MetricsWriter) from one thread,
# against named baselines in the same JVM. Prints figures; asserts nothing about speed.
#
# Usage: bench/metrics-throughput.sh [--seconds N] [--warmup N] [--rounds R] [--jar PATH] [--dir DIR]
#   --seconds N   measured seconds per writer and round (default 10)
#   --rounds R    measured rounds; the writers alternate within each round (default 1)
#   --warmup N    warm-up seconds per writer before measuring (default 3)
#   --jar PATH    the research-core jar to measure (default: the one installed in ~/.m2 for the
#                 reactor's version; install it with `mvn -B -q install -DskipTests`)
#   --dir DIR     where the metric files are written (default: a temp dir; files are deleted)
# The JVM is started with BENCH_JAVA_OPTS (default: -Xms512m -Xmx512m).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
root="$(cd "$here/.." && pwd)"

seconds=10
warmup=3
rounds=1
jar=""
dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d -t metrics-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
[[ -n "$dir" ]] || dir="$work/files"

# The reactor's version (Maven 3.8's -q still prints colour codes: strip them).
version="$(mvn -B -q -f "$root/pom.xml" -N help:evaluate -Dexpression=project.version -DforceStdout \
  -Dstyle.color=never 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')"
if [[ -z "$jar" ]]; then
  jar="$HOME/.m2/repository/io/github/researchcycle/research-core/$version/research-core-$version.jar"
fi
if [[ ! -f "$jar" ]]; then
  echo "research-core jar not found: $jar" >&2
  echo "Fix: mvn -B -q install -DskipTests (from $root), or pass --jar PATH" >&2
  exit 2
fi

mvn -B -q -f "$root/plugin/core/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="$jar:$(cat "$work/cp.txt")"

mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$cp" "$here/src/MetricsWriterBench.java"

echo "research-core: $jar ($(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC'))"
echo "machine: $(getconf _NPROCESSORS_ONLN) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU used by other processes while the benchmark runs: all busy CPU time minus this JVM's.
cpu_children; c0=$CHILDREN
b0=$(cpu_busy); t0=$(now)
status=0
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:--Xms512m -Xmx512m} -cp "$work/classes:$cp" MetricsWriterBench "$seconds" "$warmup" "$dir" "$rounds" \
  || status=$?
b1=$(cpu_busy); t1=$(now)
cpu_children; own=$(awk -v a="$c0" -v b="$CHILDREN" 'BEGIN { print b - a }')
awk -v b="$(awk -v x="$b0" -v y="$b1" 'BEGIN { print y - x }')" -v o="$own" -v t0="$t0" -v t1="$t1" 'BEGIN {
  w = t1 - t0; printf "other processes used %.2f CPUs on average meanwhile%s\n", (b - o) / w,
  ((b - o) / w > 0.2 ? ": the figures are disturbed" : "") }'
exit $status
