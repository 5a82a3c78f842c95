#!/usr/bin/env bash
# Diagnostic (no goal): the steps research:run takes in the Maven JVM before the training JVM
# starts, timed cold (first call, as in every `mvn` invocation) and warm, in a fresh JVM, on an
# existing research repository. Writes nothing into the repository.
#
# Usage: bench/run-phases.sh PROJECT_DIR [EXPERIMENT (default baseline)] [OVERRIDES (key=value,...)]
#   The project needs at least one run record (its launcher.command gives the training classpath),
#   for example the work folder that `bench/run-overhead.sh --keep` leaves: WORK/gen/bench.
#   --jar PATH (first argument) measures another research-core jar than the installed one.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar=""
if [[ "${1:-}" == --jar ]]; then
  jar="$2"
  shift 2
fi
[[ $# -ge 1 ]] || { sed -n '2,10p' "$0"; exit 2; }
project="$(cd "$1" && pwd)"
experiment="${2:-baseline}"
overrides="${3:-}"

work="$(mktemp -d -t run-phases.XXXXXX)"
trap 'rm -rf "$work"' EXIT
version="$(mvn -B -q -f "$root/pom.xml" -N help:evaluate -Dexpression=project.version -DforceStdout \
  -Dstyle.color=never 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')"
[[ -n "$jar" ]] || jar="$HOME/.m2/repository/io/github/researchcycle/research-core/$version/research-core-$version.jar"
[[ -f "$jar" ]] || { echo "research-core jar not found: $jar (mvn -B -q install -DskipTests, or --jar)" >&2; exit 2; }
mvn -B -q -f "$root/plugin/core/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="$jar:$(cat "$work/cp.txt")"
record="$(ls -d "$project"/runs/2*/ 2>/dev/null | sort | tail -1)run.json"
[[ -f "$record" ]] || { echo "no run record under $project/runs: run mvn research:run there first" >&2; exit 2; }
training_cp="$(jq -r '.launcher.command as $c | $c[($c | index("-cp")) + 1]' "$record")"

mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$cp" "$here/src/RunPhases.java"
echo "research-core: $jar; project: $project ($(ls -d "$project"/runs/2*/ | wc -l) runs)"
java -cp "$work/classes:$cp" RunPhases "$project" "$experiment" "$overrides" "$training_cp"
