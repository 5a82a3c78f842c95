#!/usr/bin/env bash
# The runtime's training loop against a hand-written DJL loop (src/HandLoop.java, the named
# baseline): the same data (Fashion-MNIST from the shared data cache), model (MLP 784-HIDDEN-10),
# optimizer (Adam, fixed rate), batch and epochs, no validation split, one test-set evaluation.
# The runtime's side is the training JVM of a generated repository (src/RuntimeLoop.java: the
# archetype's Train.java for IDX data) started as research:run starts it, recording every metric
# and a checkpoint per epoch. Whole-process wall time, alternating; prints the medians and the
# ratio, and the listener's share of a training step (a separate probe run). Asserts no timing.
#
# Usage: bench/loop.sh [options]
#   --runs N        timed runs of each side, alternating (default 3)
#   --epochs E      (default 10)   --batch B (default 128)   --hidden H (default 100)
#   --data DIR      the fashion-mnist IDX files (default: the data cache, RESEARCH_DATA_CACHE or
#                   ~/.cache/research-cycle/data, /fashion-mnist)
#   --install       install research-runtime first (mvn -q -o install -pl plugin/runtime -am -DskipTests)
#   --runtime PATH  another build of research-runtime (a jar or a classes folder) in place of the
#                   installed one, for example an earlier commit's, to compare before and after
#   --work DIR      working folder (default: a new temp dir, removed unless --keep)
#   --keep          keep the working folder (run folders, logs)
# Both JVMs: OMP_NUM_THREADS=1 (as the samples' launch profiles set it), the same flags as
# research:run's command line (-Xmx1g -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8
# -Dai.djl.offline=true) and the same classpath. Mvn honours MAVEN_OPTS (a private repository).
# Goal: runtime / hand-written <= 1.03; the listener <= 1 % of a step.
set -euo pipefail
export LC_ALL=C TZ=UTC

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
root="$(cd "$here/.." && pwd)"

runs=3
epochs=10
batch=128
hidden=100
data="${RESEARCH_DATA_CACHE:-$HOME/.cache/research-cycle/data}/fashion-mnist"
install=0
runtime=""
work=""
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --hidden) hidden="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --install) install=1; shift ;;
    --runtime) runtime="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [[ ! -f "$data/$f.gz" ]]; then
    echo "no $data/$f.gz: the Fashion-MNIST files are not in the data cache." >&2
    echo "Fix: run \`mvn research:data\` in samples/fashion-mnist-mlp (it fills the cache), or pass --data DIR" >&2
    exit 2
  fi
done
if [[ -z "$work" ]]; then
  work="$(mktemp -d -t loop-bench.XXXXXX)"
  [[ $keep == 1 ]] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"

# The reactor's version: the root pom's own <version> (two spaces in, under <project>).
version="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
if [[ $install == 1 ]]; then
  mvn -B -q -o -f "$root/pom.xml" install -pl plugin/runtime -am -DskipTests >/dev/null
fi
runtime_classpath "$work" "$root" "$version" loop-bench
jar="$(tr ':' '\n' <"$work/cp.txt" | grep -m1 research-runtime)"
if [[ -n "$runtime" ]]; then
  sed -i "s|$jar|$runtime|" "$work/cp.txt"
  jar="$runtime"
fi
cp="$(cat "$work/cp.txt")"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$cp" "$here/src/HandLoop.java" "$here/src/RuntimeLoop.java"

export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
JAVA=(java -Xmx1g -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 -Dai.djl.offline=true -cp "$work/classes:$cp")
lr=0.001
seed=1
# A run folder as research:run makes it: run.json with the experiment, seed and resolved config.
make_run() { # $1 = folder
  mkdir -p "$1" "$work/project/data"
  # The manifest run.data() reads, as the archetype generates it.
  cp "$here/../archetype/src/main/resources/archetype-resources/data/fashion-mnist.yaml" "$work/project/data/"
  cat >"$1/run.json" <<JSON
{"id":"$(basename "$1")","experiment":"method","seed":$seed,"config":{
 "data":{"name":"fashion-mnist","file":"","validation":0.0,"splitSeed":42,"limit":0},
 "model":{"hidden":$hidden,"layers":1},"optimizer":{"name":"adam","lr":$lr},
 "training":{"epochs":$epochs,"batch":$batch}}}
JSON
}
runtime_cmd() { # $1 = run folder, further args = JVM properties
  local d="$1"
  shift
  "${JAVA[@]}" "$@" -Dresearch.run.dir="$d" -Dresearch.console=plain -Dresearch.data.dir.fashion-mnist="$data" \
    -Dresearch.project.dir="$work/project" RuntimeLoop
}
hand_cmd() { "${JAVA[@]}" HandLoop "$data" "$epochs" "$batch" "$hidden" "$lr" "$seed"; }
timed() { # $1 = log, rest = command; sets WALL, CPU (the process's own CPU seconds) and OTHERS
  local log="$1" b0 c0 b1 c1 t0 t1
  shift
  b0=$(cpu_busy); cpu_children; c0=$CHILDREN
  t0=$(now)
  "$@" >"$log" 2>&1 || { tail -20 "$log"; echo "failed: $*" >&2; exit 1; }
  t1=$(now)
  b1=$(cpu_busy); cpu_children; c1=$CHILDREN
  WALL=$(calc "$t1 - $t0")
  CPU=$(calc "$c1 - $c0")
  OTHERS=$(calc "(($b1 - $b0) - ($c1 - $c0)) / $WALL")
}
median() { printf '%s\n' "$@" | sort -g | awk '{ x[n++] = $1 } END { printf "%.3f", (n % 2 ? x[int(n / 2)] : (x[n / 2 - 1] + x[n / 2]) / 2) }'; }

say "loop: runtime's training JVM against a hand-written DJL loop, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(getconf _NPROCESSORS_ONLN) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
say "research-runtime: $jar ($(date -u -r "$jar" '+%H:%M:%S UTC')$([[ -f "$jar" ]] && echo ", $(sha256sum "$jar" | cut -c1-12)")); commit $(git -C "$root" rev-parse --short HEAD)"
say "Fashion-MNIST from $data; MLP 784-$hidden-10, Adam $lr, batch $batch, $epochs epochs, no validation, OMP_NUM_THREADS=1"

step "warm-up (untimed): one run of each"
make_run "$work/runs/warm"
timed "$work/warm-runtime.log" runtime_cmd "$work/runs/warm"
timed "$work/warm-hand.log" hand_cmd
say "runtime $(grep -h test_accuracy "$work/warm-runtime.log" | tail -1 | xargs)   hand $(grep -h test_accuracy "$work/warm-hand.log" | xargs)"

step "timed runs: $runs of each, alternating (seconds, whole process)"
declare -a R H RO HO RC HC
printf '%-4s %10s %10s %8s %16s %14s\n' run runtime hand ratio "others' CPUs R/H" "CPU s R/H"
for ((i = 1; i <= runs; i++)); do
  # The order alternates too, so that neither side always runs first.
  if ((i % 2)); then
    make_run "$work/runs/$i"
    timed "$work/runtime-$i.log" runtime_cmd "$work/runs/$i"; R[i]=$WALL; RO[i]=$OTHERS; RC[i]=$CPU
    timed "$work/hand-$i.log" hand_cmd; H[i]=$WALL; HO[i]=$OTHERS; HC[i]=$CPU
  else
    timed "$work/hand-$i.log" hand_cmd; H[i]=$WALL; HO[i]=$OTHERS; HC[i]=$CPU
    make_run "$work/runs/$i"
    timed "$work/runtime-$i.log" runtime_cmd "$work/runs/$i"; R[i]=$WALL; RO[i]=$OTHERS; RC[i]=$CPU
  fi
  printf '%-4s %10.2f %10.2f %8.3f %8.2f/%-7.2f %6.2f/%-6.2f\n' "$i" "${R[i]}" "${H[i]}" "$(calc "${R[i]} / ${H[i]}")" \
    "${RO[i]}" "${HO[i]}" "${RC[i]}" "${HC[i]}"
done
mr=$(median "${R[@]}"); mh=$(median "${H[@]}")
ratio=$(awk -v r="$mr" -v h="$mh" 'BEGIN { printf "%.3f", r / h }')
printf '%-4s %10.2f %10.2f %8.3f\n' median "$mr" "$mh" "$ratio"
printf 'range: runtime %.2f-%.2f s, hand %.2f-%.2f s\n' "$(printf '%s\n' "${R[@]}" | sort -g | head -1)" \
  "$(printf '%s\n' "${R[@]}" | sort -g | tail -1)" "$(printf '%s\n' "${H[@]}" | sort -g | head -1)" \
  "$(printf '%s\n' "${H[@]}" | sort -g | tail -1)"
printf 'ratio of medians runtime / hand-written = %s   goal <= 1.03   %s\n' "$ratio" \
  "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.03 ? "MET" : "MISSED") }')"
# CPU seconds (user + system) of each process: less disturbed by other processes than wall time on
# a shared machine (one intra-op thread, but the JVM's own threads count too).
printf 'median CPU seconds: runtime %.2f, hand %.2f: ratio %.3f\n' "$(median "${RC[@]}")" "$(median "${HC[@]}")" \
  "$(awk -v r="$(median "${RC[@]}")" -v h="$(median "${HC[@]}")" 'BEGIN { printf "%.3f", r / h }')"
awk -v r="$(printf '%s\n' "${RO[@]}" "${HO[@]}" | sort -g | tail -1)" 'BEGIN { if (r > 0.2)
  printf "NOTE: other processes used up to %.2f CPUs during a timed run: the wall times are disturbed\n", r }'

# What the runtime recorded in run 1: every metric and checkpoint.
d="$work/runs/1"
say "recorded by the runtime (run 1): $(grep -c '"loss"' "$d/metrics.jsonl") loss lines, $(grep -c train_accuracy "$d/metrics.jsonl") train_accuracy, $(grep -c train_loss "$d/metrics.jsonl") train_loss, test: $(grep -o '"name" *: *"test_[a-z]*"' "$d/metrics.jsonl" | tr -d ' "' | sed 's/name://' | xargs), checkpoints: $(ls "$d/artifacts/checkpoints" 2>/dev/null | xargs)"
say "test_accuracy: runtime $(grep -h test_accuracy "$work/runtime-1.log" | tail -1 | xargs); hand $(grep -h test_accuracy "$work/hand-1.log" | xargs)"

step "tracking cost per step (a probe run: listeners timed just before and after the runtime's)"
make_run "$work/runs/probe"
timed "$work/probe.log" runtime_cmd "$work/runs/probe" -Dbench.probe=true
grep -h '^PROBE' "$work/probe.log" | awk '{ printf "steps %d: step %.1f us, the runtime listener %.2f us a step = %.2f %% of a step   goal <= 1 %%   %s\n",
  $3, $5, $7, 100 * $7 / $5, (100 * $7 / $5 <= 1 ? "MET" : "MISSED") }'
say ""
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $keep == 1 ]] && say "kept: $work"
exit 0
