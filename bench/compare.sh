#!/usr/bin/env bash
# research:compare on many runs: wall time of whole `mvn research:compare` commands on a generated
# research repository with 10,000 realistic run records, against Maven's own start on the same pom
# (`mvn validate`, no plugin runs) and Maven's start with the plugin loaded (`mvn research:help`), and
# the core's own time in-process (RunTable.load + render in a fresh JVM, then warm). Prints figures
# and the goal; asserts nothing (exit 0 on a missed goal too).
#
# Usage: bench/compare.sh [options]
#   --runs N        run records in the fixture (default 10000)
#   --reps R        timed repetitions of each mvn command, the commands alternating (default 5)
#   --warmup W      untimed passes of every mvn command before the timed ones (default 1; the first
#                   one also checks that Maven's table equals the in-process table)
#   --seed S        the fixture's random seed (default 1)
#   --in-warmup W   in-process: untimed passes after the first call (default 2)
#   --in-rounds R   in-process: timed passes; medians are reported (default 5)
#   --core PATH     the research-core jar or classes folder for the in-process timing (default: the
#                   installed jar of the reactor's version, i.e. the one `mvn research:compare` runs)
#   --profile       also time each step of load and render on its own, each in a fresh JVM
#   --goal S        the goal for a whole research:compare command, in seconds (default 2.0)
#   --jvm-config A  write A to the fixture's .mvn/jvm.config (Maven's JVM options for that project,
#                   e.g. "-XX:TieredStopAtLevel=1"); default: none, Maven's defaults
#   --wait-idle S   before each timed command, wait up to S seconds for the machine to be idle
#                   (other processes using < 0.15 CPU over 2 s); default 0 (do not wait)
#   --work DIR      the working folder (default: a new temp dir, removed at the end)
#   --keep          keep the working folder (fixture, outputs, logs)
# Needs: mvn, java 17, javac, awk, sha256sum, and in ~/.m2: the reactor installed
# (mvn -B -q install -DskipTests), maven-dependency-plugin and maven-help-plugin (everything offline).
# Timing: date +%s.%N around each whole mvn command; files are in the page cache (warm) throughout.
set -euo pipefail
export LC_ALL=C TZ=UTC

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
root="$(cd "$here/.." && pwd)"

runs=10000
reps=5
warmup=1
seed=1
in_warmup=2
in_rounds=5
core=""
profile=false
goal=2.0
jvm_config=""
wait_idle=0
work=""
keep=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --in-warmup) in_warmup="$2"; shift 2 ;;
    --in-rounds) in_rounds="$2"; shift 2 ;;
    --core) core="$2"; shift 2 ;;
    --profile) profile=true; shift ;;
    --goal) goal="$2"; shift 2 ;;
    --jvm-config) jvm_config="$2"; shift 2 ;;
    --wait-idle) wait_idle="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in mvn java javac awk sha256sum; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (not on PATH)" >&2; exit 2; }
done

# CPUs used by others: busy CPU time minus our children's, per second of wall time (noise can make it < 0).
others() { awk -v b="$1" -v c="$2" -v w="$3" 'BEGIN { x = (b - c) / w; printf "%.2f", (x > 0 ? x : 0) }'; }

if [[ -z "$work" ]]; then
  work="$(mktemp -d -t compare-bench.XXXXXX)"
  [[ "$keep" == true ]] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"
logs="$work/logs"
mkdir -p "$logs"


# --- 1. the reactor's version, the installed plugin, the in-process classpath ----------------------
version="$(mvn -B -q -o -f "$root/pom.xml" -N help:evaluate -Dexpression=project.version -DforceStdout \
  -Dstyle.color=never 2>/dev/null | strip_ansi)"
[[ -n "$version" ]] || { echo "cannot read the reactor's version from $root/pom.xml" >&2; exit 2; }
m2="$HOME/.m2/repository/io/github/researchcycle"
plugin_jar="$m2/research-maven-plugin/$version/research-maven-plugin-$version.jar"
core_jar="$m2/research-core/$version/research-core-$version.jar"
for a in "$plugin_jar" "$core_jar"; do
  if [[ ! -f "$a" ]]; then
    echo "not installed: $a" >&2
    echo "Fix: mvn -B -q install -DskipTests (from $root)" >&2
    exit 2
  fi
done
fingerprint() {
  local a
  for a in "$plugin_jar" "$core_jar"; do
    printf '%s %s %s\n' "$(basename "$a")" "$(date -u -r "$a" '+%Y-%m-%d %H:%M:%S')" "$(sha256sum "$a" | cut -c1-12)"
  done
}
fingerprint >"$work/fingerprint.before"
if [[ -z "$core" ]]; then
  # A copy, so that a concurrent install cannot change it under the in-process timing.
  cp "$core_jar" "$work/research-core.jar"
  core="$work/research-core.jar"
  core_label="installed research-core-$version.jar (as run by the goal)"
else
  core="$(cd "$(dirname "$core")" && pwd)/$(basename "$core")"
  core_label="$core (--core)"
fi
mvn -B -q -o -f "$root/plugin/core/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >"$logs/classpath.log" 2>&1 \
  || { strip_ansi <"$logs/classpath.log" | tail -20; echo "dependency:build-classpath failed" >&2; exit 1; }
cp="$core:$(cat "$work/cp.txt")"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$cp" "$here/src/CompareBench.java"
bench() { java -cp "$work/classes:$cp" CompareBench "$@"; }

say "compare: research:compare on $runs runs, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(getconf _NPROCESSORS_ONLN) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "java: $(java -version 2>&1 | head -1); maven: $(mvn -v -B 2>/dev/null | strip_ansi | head -1); MAVEN_OPTS=${MAVEN_OPTS:-(unset)}"
say "reactor: $root, version $version, commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(
  [[ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]] && echo ' (with uncommitted changes)')"
say "installed artifacts (name, installed at, sha256 prefix):"
sed 's/^/  /' "$work/fingerprint.before"
say "in-process core: $core_label"
if [[ -n "$jvm_config" ]]; then
  say "fixture's .mvn/jvm.config: $jvm_config"
else
  say "fixture's .mvn/jvm.config: none (Maven's default JVM options)"
fi
say "work: $work"

# --- 2. the fixture ---------------------------------------------------------------------------
step "fixture: a research repository with $runs run records (seed $seed)"
project="$work/project"
rm -rf "$project"
mkdir -p "$project/experiments"
# Only the plugin under test: validate binds no plugin, and the plugin and its dependencies are
# already in ~/.m2, so everything runs offline.
cat >"$project/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>compare-bench</artifactId>
  <version>1.0-SNAPSHOT</version>
  <packaging>pom</packaging>
  <description>A research repository with many runs, made by bench/compare.sh.</description>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.researchcycle</groupId>
        <artifactId>research-maven-plugin</artifactId>
        <version>$version</version>
      </plugin>
    </plugins>
  </build>
</project>
POM
cat >"$project/research.yaml" <<'YAML'
title: 'Wider hidden layers on synthetic spirals'
paper:
  citation: 'Karpathy, A. CS231n course notes, "Putting it together: minimal neural network case study", 2016.'
  hasCode: true
question: 'Does a wider hidden layer raise validation accuracy on the synthetic three-arm spirals?'
hypothesis: 'A 256-unit hidden layer beats the 64-unit baseline by at least 2 accuracy points.'
metric:
  name: validate_accuracy
  goal: maximize
baseline: baseline
method: wide
claim:
  type: improve
  margin: 0.02
  statement: 'The wide MLP improves validation accuracy over the baseline by at least 0.02.'
seeds: 5
estimate:
  hours: 4
scope:
  newDataset: false
  offStructure: false
YAML
cat >"$project/experiments/baseline.yaml" <<'YAML'
description: MLP with one 64-unit hidden layer on three-arm spirals
main: bench.Train
data: {name: synthetic, samples: 20000, classes: 3, noise: 0.2, validation: 0.2}
model: {hidden: 64, layers: 1}
optimizer: {name: adam, lr: 0.01}
training: {epochs: 55, batch: 64}
YAML
printf 'extends: baseline\ndescription: MLP with one 256-unit hidden layer on three-arm spirals\nmodel: {hidden: 256}\n' \
  >"$project/experiments/wide.yaml"
printf 'extends: baseline\ndescription: The baseline MLP at other learning rates\noptimizer: {lr: 0.003}\n' \
  >"$project/experiments/lr-sweep.yaml"
printf 'extends: baseline\ndescription: A tiny MLP on a few hundred spiral points: seconds on a CPU\nmodel: {hidden: 16}\ntraining: {epochs: 2}\n' \
  >"$project/experiments/smoke.yaml"
if [[ -n "$jvm_config" ]]; then
  mkdir -p "$project/.mvn"
  printf '%s\n' "$jvm_config" >"$project/.mvn/jvm.config"
fi
t0=$(now)
bench generate "$project" "$runs" "$seed" "$HOME/.m2/repository" | sed 's/^/  /'
say "  in $(calc "$(now) - $t0") s; $(du -sh "$project/runs" | cut -f1) on disk under runs/"

# --- 3. in-process: the core alone -------------------------------------------------------------
step "in-process: RunTable.load + render in a fresh JVM (first call), then $in_warmup warm-up and $in_rounds timed passes"
await_idle
b0=$(cpu_busy); cpu_children; c0=$CHILDREN; t0=$(now)
bench time "$project/runs" "$in_warmup" "$in_rounds" "$work/out" >"$work/inprocess.txt"
t1=$(now); b1=$(cpu_busy); cpu_children; c1=$CHILDREN
IN_OTHERS=$(others "$(calc "$b1 - $b0")" "$(calc "$c1 - $c0")" "$(calc "$t1 - $t0")")
say "  done in $(calc "$t1 - $t0") s; other processes used $IN_OTHERS CPUs meanwhile"

# --- 4. whole mvn commands ---------------------------------------------------------------------
NAMES=(start plugin table json filtered)
declare -A LABEL ARGS
LABEL[start]="mvn validate (Maven's start, same pom)"
LABEL[plugin]="mvn research:help (start + plugin realm)"
LABEL[table]="mvn research:compare"
LABEL[json]="mvn research:compare -Dresearch.format=json"
LABEL[filtered]="mvn research:compare baseline+finished"
ARGS[start]="validate"
ARGS[plugin]="research:help"
ARGS[table]="research:compare"
ARGS[json]="research:compare -Dresearch.format=json"
ARGS[filtered]="research:compare -Dresearch.experiment=baseline -Dresearch.status=finished"

timed_mvn() { # $1 = name, $2 = output file; sets WALL and OTHERS (CPUs used by other processes meanwhile)
  local name="$1" out="$2" b0 c0 b1 c1 t0 t1
  b0=$(cpu_busy); cpu_children; c0=$CHILDREN
  t0=$(now)
  # shellcheck disable=SC2086
  (cd "$project" && mvn -B -q -o -Dstyle.color=never ${ARGS[$name]}) >"$out" 2>"$logs/$name.err" \
    || { strip_ansi <"$out" | tail -20; strip_ansi <"$logs/$name.err" | tail -20; echo "mvn ${ARGS[$name]} failed" >&2; exit 1; }
  t1=$(now)
  b1=$(cpu_busy); cpu_children; c1=$CHILDREN
  WALL=$(calc "$t1 - $t0")
  OTHERS=$(others "$(calc "$b1 - $b0")" "$(calc "$c1 - $c0")" "$WALL")
}

step "mvn -B -q -o: $warmup untimed pass(es), then $reps timed repetitions, the commands alternating"
for ((i = 1; i <= warmup; i++)); do
  for name in "${NAMES[@]}"; do
    timed_mvn "$name" "$work/mvn-$name.out"
  done
done
if ((warmup > 0)); then
  for name in table json filtered; do
    if cmp -s <(strip_ansi <"$work/mvn-$name.out") "$work/out/$name.out"; then
      say "  output of ${LABEL[$name]} = in-process output ($(wc -l <"$work/out/$name.out") lines)"
    else
      say "  WARNING: output of ${LABEL[$name]} differs from the in-process output (another core version?)"
    fi
  done
fi
: >"$work/timings.txt"
for ((i = 1; i <= reps; i++)); do
  line="  rep $i:"
  for name in "${NAMES[@]}"; do
    await_idle
    timed_mvn "$name" "$work/mvn-$name.out"
    printf '%s %s %s\n' "$name" "$WALL" "$OTHERS" >>"$work/timings.txt"
    line="$line $name $WALL s"
  done
  say "$line"
done

# --- 5. figures --------------------------------------------------------------------------------
stats() { # $1 = name: prints "median min mean_others"
  awk -v n="$1" '$1 == n { v[++k] = $2; o += $3 } END {
    for (i = 2; i <= k; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
    m = (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
    printf "%.3f %.3f %.2f\n", m, v[1], o / k }' "$work/timings.txt"
}
declare -A MED MIN OTH
for name in "${NAMES[@]}"; do
  read -r MED[$name] MIN[$name] OTH[$name] < <(stats "$name")
done
step "figures: $runs runs, $reps repetitions (seconds, whole commands, warm page cache)"
printf '%-48s %8s %8s %12s %12s %7s\n' "command" "median" "min" "- start" "- plugin" "others"
for name in "${NAMES[@]}"; do
  above=$(calc "${MED[$name]} - ${MED[start]}")
  above_plugin=$(calc "${MED[$name]} - ${MED[plugin]}")
  [[ "$name" == start ]] && above="" && above_plugin=""
  [[ "$name" == plugin ]] && above_plugin=""
  printf '%-48s %8.3f %8.3f %12s %12s %7.2f\n' "${LABEL[$name]}" "${MED[$name]}" "${MIN[$name]}" \
    "${above:+$(printf '%+.3f' "$above")}" "${above_plugin:+$(printf '%+.3f' "$above_plugin")}" "${OTH[$name]}"
done
say "(- start: the compare cost above Maven's own start, medians; - plugin: above start + plugin realm, i.e."
say " RunTable.load + render + printing inside Maven; others: CPUs used by other processes meanwhile)"

step "in-process (ms): fresh JVM's first call; then warm median, min, and the median split"
printf '%-10s %8s %10s %8s %10s %10s %7s\n' "case" "first" "median" "min" "load" "render" "rows"
awk '/^RESULT/ { printf "%-10s %8.1f %10.1f %8.1f %10.1f %10.1f %7d\n", $2, $3, $4, $5, $6, $7, $8 }' "$work/inprocess.txt"
say "(first: load + render of each case in turn right after the JVM started, table first; others used $IN_OTHERS CPUs)"

step "goal: a whole research:compare on $runs runs <= $goal s, including Maven's start (median)"
for name in table json filtered; do
  verdict=$(awk -v m="${MED[$name]}" -v g="$goal" 'BEGIN { print (m <= g) ? "PASS" : "MISS" }')
  printf '  %-48s %8.3f s  %s\n' "${LABEL[$name]}" "${MED[$name]}" "$verdict"
done
awk -v a="${OTH[table]}" 'BEGIN { if (a > 0.2)
  printf "NOTE: other processes used %.2f CPUs on average during the compare runs: the figures are disturbed\n", a }'

# --- 6. where the time goes (optional) ----------------------------------------------------------
if [[ "$profile" == true ]]; then
  step "where the time goes: each step alone in a fresh JVM (ms: first call, then warm median of $in_rounds)"
  for s in list bytes-seq bytes-par tokens-seq tokens-par read-seq read-par load load+table render-table render-json render-csv render-markdown; do
    await_idle
    bench profile "$s" "$project/runs" "$in_rounds" \
      | awk '/^PROFILE/ { printf "  %-14s %9.1f %9.1f   %s\n", $2, $3, $4, substr($0, index($0, $5)) }'
  done
fi

fingerprint >"$work/fingerprint.after"
if ! cmp -s "$work/fingerprint.before" "$work/fingerprint.after"; then
  say ""
  say "WARNING: the installed plugin or core changed during the benchmark (another build installed"
  say "them); the mvn figures may mix versions:"
  diff "$work/fingerprint.before" "$work/fingerprint.after" | sed 's/^/  /' || true
fi
say ""
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ "$keep" == true ]] && say "kept: $work (project/, out/, mvn-*.out, logs/)"
exit 0
