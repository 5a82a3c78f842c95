#!/usr/bin/env bash
# The cost of recording a run: wall time of `mvn research:run` against `mvn exec:exec` of the same
# training main class, the same resolved config, the same classpath and the same JVM flags, on a
# project generated from research-archetype. Prints figures; asserts nothing about speed.
#
# Usage: bench/run-overhead.sh [options]
#   --runs N          timed runs of each command, alternating (default 3)
#   --target S        seconds one training should take; the epochs are calibrated to it (default 30)
#   --epochs N        use N epochs, skip the calibration
#   --samples M       data.samples of the benchmark experiment (default 20000; baseline has 3000)
#   --calib-epochs E  epochs of the first calibration run (default 5)
#   --exec-version V  exec-maven-plugin version (default 3.5.0)
#   --install         always install the reactor first (mvn -B -q install -DskipTests)
#   --skip-install    never install; use the installed artifacts
#                     (default: install only if an artifact of the reactor's version is missing)
#   --isolate         use a private copy of ~/.m2/repository under the work folder, and install the
#                     reactor into it from a copy of the working tree (unless --skip-install), so
#                     that builds running at the same time cannot change the plugin mid-benchmark
#   --wait-idle S     before each timed run, wait up to S seconds for the machine to be idle
#                     (other processes using < 0.15 CPU over 2 s); default 0 (do not wait)
#   --threads N       export OMP_NUM_THREADS=N to both sides (PyTorch's intra-op threads); default:
#                     unset, PyTorch's own choice. On a shared machine use 1: with 2 threads on
#                     2 cores, a training slows down up to 10x whenever another process runs
#   --work DIR        the working folder (default: a new temp dir); a named one is kept
#   --keep            keep the working folder (generated project, logs, run records)
# Needs: mvn, java, git, jq, awk, tar. Timing: date +%s.%N around each whole mvn command.
# Goals: research:run / exec:exec <= 1.02 on a ~30 s training; fixed cost (difference) <= 0.5 s.
set -euo pipefail
export LC_ALL=C TZ=UTC

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
root="$(cd "$here/.." && pwd)"

runs=3
target=30
epochs=""
samples=20000
calib_epochs=5
exec_version=3.5.0
install=auto
isolate=false
wait_idle=0
threads=""
work=""
keep=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --samples) samples="$2"; shift 2 ;;
    --calib-epochs) calib_epochs="$2"; shift 2 ;;
    --exec-version) exec_version="$2"; shift 2 ;;
    --install) install=always; shift ;;
    --skip-install) install=never; shift ;;
    --isolate) isolate=true; shift ;;
    --wait-idle) wait_idle="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in mvn java git jq awk tar; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (not on PATH)" >&2; exit 2; }
done

if [[ -n "$threads" ]]; then
  export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
fi
GOAL_RATIO=1.02
GOAL_DIFF=0.5
# Timestamps on Maven's log lines (both sides alike): they split the wall time into phases.
MVN_TS=(-B -Dstyle.color=never -Dorg.slf4j.simpleLogger.showDateTime=true
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)
GIT_COMMIT=(git -c user.name=bench -c user.email=bench@example.org commit -q)
REPO=()   # -Dmaven.repo.local=... with --isolate

m() { mvn ${REPO[@]+"${REPO[@]}"} "$@"; }


if [[ -z "$work" ]]; then
  work="$(mktemp -d -t run-overhead.XXXXXX)"
else
  keep=true   # a folder the caller named is never deleted
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"
if [[ "$keep" != true ]]; then
  trap 'rm -rf "$work"' EXIT
fi
logs="$work/logs"
mkdir -p "$logs"

# --- 1. the reactor in the local repository -----------------------------------------------------
reactor="$root"
repo_dir="$HOME/.m2/repository"
if [[ "$isolate" == true ]]; then
  repo_dir="$work/m2"
  if [[ ! -d "$repo_dir" ]]; then
    cp -a "$HOME/.m2/repository" "$repo_dir"
  fi
  REPO=(-Dmaven.repo.local="$repo_dir")
  [[ "$install" == auto ]] && install=always
  if [[ "$install" == always ]]; then
    # The working tree as it is now (tracked and untracked files, not ignored ones), without bench/.
    reactor="$work/reactor"
    snapshot="commit $(git -C "$root" rev-parse --short HEAD)$(
      [[ -n "$(git -C "$root" status --porcelain -- . ':!bench')" ]] && echo ' with uncommitted changes'), copied $(date -u '+%H:%M:%S UTC')"
    rm -rf "$reactor"
    mkdir -p "$reactor"
    git -C "$root" ls-files -z -co --exclude-standard | grep -zv '^bench/' \
      | tar -C "$root" --null -T - -cf - | tar -C "$reactor" -xf -
  fi
fi
version="$(m -B -q -f "$reactor/pom.xml" -N help:evaluate -Dexpression=project.version -DforceStdout \
  -Dstyle.color=never 2>/dev/null | strip_ansi)"
[[ -n "$version" ]] || { echo "cannot read the reactor's version from $reactor/pom.xml" >&2; exit 2; }
m2="$repo_dir/io/github/researchcycle"
artifacts=("$m2/research-maven-plugin/$version/research-maven-plugin-$version.jar"
  "$m2/research-core/$version/research-core-$version.jar"
  "$m2/research-runtime/$version/research-runtime-$version.jar"
  "$m2/research-archetype/$version/research-archetype-$version.jar")
fingerprint() {
  local a
  for a in "${artifacts[@]}"; do
    if [[ -f "$a" ]]; then
      printf '%s %s %s\n' "$(basename "$a")" "$(date -u -r "$a" '+%H:%M:%S')" "$(sha256sum "$a" | cut -c1-12)"
    else
      printf '%s missing\n' "$(basename "$a")"
    fi
  done
}

say "run-overhead: research:run against exec:exec, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(getconf _NPROCESSORS_ONLN) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "java: $(java -version 2>&1 | head -1); maven: $(mvn -v -B 2>/dev/null | strip_ansi | head -1)"
say "reactor: $root, version $version, commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(
  [[ -n "$(git -C "$root" status --porcelain -- . ':!bench' 2>/dev/null)" ]] && echo ' (with uncommitted changes)')"
say "local repository: $repo_dir$([[ "$isolate" == true ]] && echo ' (private copy, --isolate)')"
if [[ -n "$threads" ]]; then
  say "training threads: OMP_NUM_THREADS=$threads (--threads), on both sides"
else
  say "training threads: PyTorch's default (OMP_NUM_THREADS ${OMP_NUM_THREADS:+=$OMP_NUM_THREADS}${OMP_NUM_THREADS:-unset})"
fi
say "work: $work"

missing=false
for a in "${artifacts[@]}"; do [[ -f "$a" ]] || missing=true; done
if [[ "$install" == always || ( "$install" == auto && "$missing" == true ) ]]; then
  step "installing the reactor from $reactor (mvn -B -q install -DskipTests -Darchetype.test.skip=true)"
  t0=$(now)
  (cd "$reactor" && m -B -q install -DskipTests -Darchetype.test.skip=true) >"$logs/install.log" 2>&1 \
    || { strip_ansi <"$logs/install.log" | tail -30; echo "install failed" >&2; exit 1; }
  say "installed in $(calc "$(now) - $t0") s"
  if [[ "$isolate" == true ]]; then
    echo "$snapshot" >"$repo_dir/.installed-from"
  fi
elif [[ "$missing" == true ]]; then
  echo "an artifact of version $version is missing from $repo_dir and --skip-install was given" >&2
  exit 2
fi
[[ -f "$repo_dir/.installed-from" ]] && say "private repository's research-cycle artifacts built from: $(cat "$repo_dir/.installed-from")"
say "artifacts used (name, installed at, sha256 prefix):"
fingerprint | sed 's/^/  /'
fingerprint >"$work/fingerprint.before"

# --- 2. a generated project ------------------------------------------------------------------
step "generating a project from research-archetype $version"
gen="$work/gen"
rm -rf "$gen"
mkdir -p "$gen"
(cd "$gen" && m -B -q org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate \
  -DarchetypeGroupId=io.github.researchcycle -DarchetypeArtifactId=research-archetype \
  -DarchetypeVersion="$version" -DgroupId=bench -DartifactId=bench -Dpackage=bench \
  -DinteractiveMode=false) >"$logs/generate.log" 2>&1 \
  || { strip_ansi <"$logs/generate.log" | tail -30; echo "archetype:generate failed" >&2; exit 1; }
project="$gen/bench"
cd "$project"
# Pre-register as its user does: the gate out of PROPOSED refuses the archetype's TODO examples.
sed -i -e "s/^\(question\|hypothesis\|  statement\): 'TODO: [^:]*, for example: /\1: '/" research.yaml
if grep -q "'TODO" research.yaml; then echo "research.yaml still holds a TODO example" >&2; exit 1; fi
git init -q
git add -A
"${GIT_COMMIT[@]}" -m "Generated by research-archetype $version"
m -B -q compile >"$logs/compile.log" 2>&1 \
  || { strip_ansi <"$logs/compile.log" | tail -30; echo "mvn compile failed" >&2; exit 1; }
# Resolve exec-maven-plugin once, untimed (and fail early if that version does not resolve).
m -B -q "org.codehaus.mojo:exec-maven-plugin:$exec_version:help" >"$logs/exec-help.log" 2>&1 \
  || { strip_ansi <"$logs/exec-help.log" | tail -20
       echo "exec-maven-plugin $exec_version does not resolve; pass another with --exec-version" >&2; exit 1; }
say "project: $project (exec-maven-plugin $exec_version resolves)"

commit_runs() {
  git add -A
  if ! git diff --cached --quiet; then
    "${GIT_COMMIT[@]}" -m "$1"
  fi
}
require_clean() {
  if [[ -n "$(git status --porcelain)" ]]; then
    echo "the tree is not clean before a timed run:" >&2
    git status --short >&2
    exit 1
  fi
}
# The newest run folder (run ids sort by time).
latest_run() { ls -d "$project"/runs/2*/ 2>/dev/null | sort | tail -1 | sed 's:/$::'; }
iso_to_epoch() { date -d "$1" +%s.%N; }
# Epoch seconds of the first log line matching $2 (Maven prints HH:mm:ss.SSS in UTC); $3 = a time
# shortly before the command started, to place the time of day on the right date.
log_time() {
  local line
  line="$(strip_ansi <"$1" | grep -m1 -E "$2" || true)"
  [[ -n "$line" ]] || { echo nan; return; }
  awk -v t="${line%% *}" -v ref="$3" 'BEGIN {
    split(t, p, ":"); sod = p[1] * 3600 + p[2] * 60 + p[3];
    day = ref - (ref % 86400); e = day + sod; if (e < ref - 3600) e += 86400; printf "%.3f", e }'
}
metric_last() { jq -r --arg n "$2" 'select(.name == $n) | .value' "$1" | tail -1; }
metric_span() { jq -s 'map(.time) | ((max - min) / 1000)' "$1"; }
metric_last_time() { tail -1 "$1" | jq '.time / 1000'; }

# Runs one timed mvn command: $1 = log file, the rest = mvn arguments. Sets WALL (seconds), T0,
# T1 and OTHERS: the CPUs used on average by processes other than this command while it ran.
timed_mvn() {
  local log="$1" b0 c0 b1 c1
  shift
  b0=$(cpu_busy); cpu_children; c0=$CHILDREN
  T0=$(now)
  m "${MVN_TS[@]}" "$@" >"$log" 2>&1 || { strip_ansi <"$log" | tail -30; echo "mvn $* failed" >&2; exit 1; }
  T1=$(now)
  b1=$(cpu_busy); cpu_children; c1=$CHILDREN
  WALL=$(calc "$T1 - $T0")
  OTHERS=$(calc "(($b1 - $b0) - ($c1 - $c0)) / $WALL")
}

# --- 3. smoke run, for reference (it is also the gate before any other experiment) ------------
step "smoke run (mvn research:run, default experiment), for reference"
require_clean
await_idle
timed_mvn "$logs/smoke.log" research:run
smoke_wall=$WALL
smoke_dir="$(latest_run)"
smoke_train=$(jq -r '.durationSeconds' "$smoke_dir/run.json")
say "smoke: $smoke_wall s wall, training JVM $smoke_train s (record $(basename "$smoke_dir"); others used $OTHERS CPUs)"
commit_runs "Smoke run"

# --- 4. calibration ----------------------------------------------------------------------------
# A short run gives seconds per epoch (between the ends of the first and last epochs, so the
# first epoch's warm-up is not counted) and the fixed part (JVM, engine, data). Extrapolating from
# a very short run is poor, so while a calibration run is under a quarter of the target, another
# one is made at about a third of the target (at most 3 calibration runs, each redone up to twice
# when other processes used more than 0.2 CPUs during it).
calibrate() { # $1 = epochs; sets cal_total per_epoch fixed
  local e="$1" dir
  require_clean
  await_idle
  timed_mvn "$logs/calibration-$e.log" research:run -Dresearch.experiment=baseline \
    -Dresearch.set="training.epochs=$e,data.samples=$samples"
  dir="$(latest_run)"
  commit_runs "Calibration run"
  cal_total=$(jq -r '.durationSeconds' "$dir/run.json")
  read -r per_epoch fixed < <(jq -rs --argjson e "$e" --argjson total "$cal_total" '
    (group_by(.epoch) | map({epoch: .[0].epoch, end: (map(.time) | max)}) | map(select(.epoch >= 0))
      | sort_by(.epoch)) as $ends
    | (if ($ends | length) > 1 then (($ends[-1].end - $ends[0].end) / 1000 / (($ends | length) - 1))
       else ($total / $e) end) as $per
    | "\($per) \($total - $e * $per)"' "$dir/metrics.jsonl")
  say "calibration: $e epochs in $cal_total s (training JVM per record): $(calc "$per_epoch") s per epoch + $(calc "$fixed") s fixed (others used $OTHERS CPUs)"
}
epochs_for() { # $1 = seconds
  awk -v t="$1" -v f="$fixed" -v p="$per_epoch" 'BEGIN { n = int((t - f) / p + 0.5); print (n < 2 ? 2 : n) }'
}
if [[ -z "$epochs" ]]; then
  step "calibration: baseline with data.samples=$samples, epochs for a ~$target s training"
  e="$calib_epochs"
  for attempt in 1 2 3; do
    calibrate "$e"
    # A calibration disturbed by other processes would choose too few epochs: redo it (twice at most).
    for retry in 1 2; do
      awk -v o="$OTHERS" 'BEGIN { exit !(o > 0.2) }' || break
      say "  (disturbed: others used $OTHERS CPUs; calibrating again)"
      calibrate "$e"
    done
    if [[ $attempt -eq 3 ]] || awk -v c="$cal_total" -v t="$target" 'BEGIN { exit !(c >= t / 4) }'; then
      break
    fi
    e=$(epochs_for "$(calc "$target / 3")")
  done
  epochs=$(epochs_for "$target")
  say "chosen: training.epochs=$epochs, data.samples=$samples (expected $(calc "$fixed + $epochs * $per_epoch") s of training for a $target s target)"
else
  say "epochs given: training.epochs=$epochs, data.samples=$samples (no calibration)"
fi
set_arg="training.epochs=$epochs,data.samples=$samples"

# --- 5. timed runs, alternating -------------------------------------------------------------------
step "timed runs: $runs x research:run and $runs x exec:exec, alternating"
exec_args=""
java_bin=""
declare -a R_WALL E_WALL R_OTH E_OTH R_TRAIN R_SPAN E_SPAN R_ACC E_ACC R_AFTER E_AFTER
declare -a P_BOOT P_PROJ P_FORK P_DEPS P_PRE P_SPAWN P_JVM P_POST P_EXIT
declare -a Q_BOOT Q_PROJ Q_JVM Q_EXIT
for ((i = 1; i <= runs; i++)); do
  # research:run
  require_clean
  await_idle
  log="$logs/research-run-$i.log"
  timed_mvn "$log" research:run -Dresearch.experiment=baseline -Dresearch.set="$set_arg"
  t0=$T0; t1=$T1
  R_WALL[i]=$WALL; R_OTH[i]=$OTHERS
  dir="$(latest_run)"
  rec="$dir/run.json"
  [[ "$(jq -r '.git.clean' "$rec")" == true ]] || { echo "run $dir was recorded dirty" >&2; exit 1; }
  R_TRAIN[i]=$(jq -r '.durationSeconds' "$rec")
  R_SPAN[i]=$(metric_span "$dir/metrics.jsonl")
  R_ACC[i]=$(metric_last "$dir/metrics.jsonl" validate_accuracy)
  # Phases, from Maven's timestamps, the record and the launch script's mtime (written just
  # before the training JVM is started).
  ref=$(calc "$t0 - 5")
  scan=$(log_time "$log" '\[INFO\] Scanning for projects' "$ref")
  fork_in=$(log_time "$log" '\[INFO\] >>> research-maven-plugin' "$ref")
  fork_out=$(log_time "$log" '\[INFO\] <<< research-maven-plugin' "$ref")
  mojo=$(log_time "$log" '\[INFO\] --- research-maven-plugin' "$ref")
  started=$(iso_to_epoch "$(jq -r '.started' "$rec")")
  spawn=$(stat -c '%.9Y' "$dir/launch.sh")
  ended=$(iso_to_epoch "$(jq -r '.ended' "$rec")")
  total=$(log_time "$log" '\[INFO\] Total time' "$ref")
  P_BOOT[i]=$(calc "$scan - $t0"); P_PROJ[i]=$(calc "$fork_in - $scan"); P_FORK[i]=$(calc "$fork_out - $fork_in")
  P_DEPS[i]=$(calc "$mojo - $fork_out"); P_PRE[i]=$(calc "$started - $mojo"); P_SPAWN[i]=$(calc "$spawn - $started")
  P_JVM[i]=$(calc "$ended - $spawn"); P_POST[i]=$(calc "$total - $ended"); P_EXIT[i]=$(calc "$t1 - $total")
  R_AFTER[i]=$(calc "$ended - $(metric_last_time "$dir/metrics.jsonl")")
  commit_runs "Run $(basename "$dir")"
  say "research:run $i: ${R_WALL[i]} s (training JVM per record ${R_TRAIN[i]} s; others used ${R_OTH[i]} CPUs)"

  # exec:exec of the same command line, into a fresh folder holding that record's run.json
  if [[ -z "$exec_args" ]]; then
    ref_record="$rec"
    java_bin=$(jq -r '.launcher.command[0]' "$ref_record")
    say "exec:exec runs the command line of $(basename "$dir") (launcher.command): $java_bin + $(jq -r '.launcher.command | length - 1' "$ref_record") arguments"
  fi
  edir="$work/exec-runs/$i"
  mkdir -p "$edir"
  cp "$ref_record" "$edir/run.json"
  exec_args=$(jq -r --arg d "$edir" '.launcher.command[1:]
    | map(if startswith("-Dresearch.run.dir=") then "-Dresearch.run.dir=" + $d else . end)
    | map(if test("\\s") then "\"" + . + "\"" else . end) | join(" ")' "$ref_record")
  await_idle
  log="$logs/exec-exec-$i.log"
  timed_mvn "$log" "org.codehaus.mojo:exec-maven-plugin:$exec_version:exec" -Dexec.executable="$java_bin" \
    -Dexec.args="$exec_args"
  t0=$T0; t1=$T1
  E_WALL[i]=$WALL; E_OTH[i]=$OTHERS
  E_SPAN[i]=$(metric_span "$edir/metrics.jsonl")
  E_ACC[i]=$(metric_last "$edir/metrics.jsonl" validate_accuracy)
  ref=$(calc "$t0 - 5")
  scan=$(log_time "$log" '\[INFO\] Scanning for projects' "$ref")
  mojo=$(log_time "$log" '\[INFO\] --- exec-maven-plugin' "$ref")
  done_=$(log_time "$log" '\[INFO\] BUILD SUCCESS' "$ref")
  total=$(log_time "$log" '\[INFO\] Total time' "$ref")
  Q_BOOT[i]=$(calc "$scan - $t0"); Q_PROJ[i]=$(calc "$mojo - $scan"); Q_JVM[i]=$(calc "$done_ - $mojo")
  Q_EXIT[i]=$(calc "$t1 - $done_")
  E_AFTER[i]=$(calc "$done_ - $(metric_last_time "$edir/metrics.jsonl")")
  say "exec:exec    $i: ${E_WALL[i]} s (others used ${E_OTH[i]} CPUs)"
done

# --- 6. the table ---------------------------------------------------------------------------
mean() { printf '%s\n' "$@" | awk '{ s += $1; n++ } END { printf "%.3f", s / n }'; }
sd() { printf '%s\n' "$@" | awk '{ x[n++] = $1; s += $1 } END { m = s / n; for (i = 0; i < n; i++) v += (x[i] - m) ^ 2;
  printf "%.3f", (n > 1 ? sqrt(v / (n - 1)) : 0) }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ x[n++] = $1 } END { printf "%.3f", (n % 2 ? x[int(n / 2)] : (x[n / 2 - 1] + x[n / 2]) / 2) }'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v <= g ? "MET" : "MISSED") }'; }

declare -a DIFF
for ((i = 1; i <= runs; i++)); do DIFF[i]=$(calc "${R_WALL[i]} - ${E_WALL[i]}"); done
r_mean=$(mean "${R_WALL[@]}"); e_mean=$(mean "${E_WALL[@]}")
ratio=$(awk -v r="$r_mean" -v e="$e_mean" 'BEGIN { printf "%.4f", r / e }')
diff=$(calc "$r_mean - $e_mean")

step "results (seconds of wall time, whole mvn command including Maven's start)"
printf '%-5s %13s %10s %8s %16s %16s %19s\n' "run" "research:run" "exec:exec" "diff" "train span R/E" "others' CPUs R/E" "validate_acc R / E"
for ((i = 1; i <= runs; i++)); do
  printf '%-5s %13.2f %10.2f %+8.2f %8.2f/%-7.2f %8.2f/%-7.2f %s / %s\n' "$i" "${R_WALL[i]}" "${E_WALL[i]}" "${DIFF[i]}" \
    "${R_SPAN[i]}" "${E_SPAN[i]}" "${R_OTH[i]}" "${E_OTH[i]}" \
    "$(printf '%.4f' "${R_ACC[i]}")" "$(printf '%.4f' "${E_ACC[i]}")"
done
printf '%-5s %13.2f %10.2f %+8.2f\n' "mean" "$r_mean" "$e_mean" "$diff"
printf '%-5s %13.2f %10.2f %8.2f\n' "sd" "$(sd "${R_WALL[@]}")" "$(sd "${E_WALL[@]}")" "$(sd "${DIFF[@]}")"
say ""
say "training: baseline, -Dresearch.set=$set_arg (training JVM per record: mean $(mean "${R_TRAIN[@]}") s)"
printf 'ratio research:run / exec:exec = %.4f   goal <= %s   %s\n' "$ratio" "$GOAL_RATIO" "$(verdict "$ratio" "$GOAL_RATIO")"
printf 'fixed cost (difference of means) = %+.2f s   goal <= %s s   %s\n' "$diff" "$GOAL_DIFF" "$(verdict "$diff" "$GOAL_DIFF")"
printf 'smoke run (mvn research:run, reference): %.2f s wall, %.2f s in the training JVM\n' "$smoke_wall" "$smoke_train"
# The training loop's own time varies by seconds between runs on a busy machine; the time outside
# it (wall minus the span from the first to the last metric) does not, and is what recording costs.
declare -a R_FIX E_FIX F_DIFF
for ((i = 1; i <= runs; i++)); do
  R_FIX[i]=$(calc "${R_WALL[i]} - ${R_SPAN[i]}"); E_FIX[i]=$(calc "${E_WALL[i]} - ${E_SPAN[i]}")
  F_DIFF[i]=$(calc "${R_FIX[i]} - ${E_FIX[i]}")
done
# Medians: one run disturbed at its start (a JVM that takes 1.5 s instead of 0.7) must not decide.
r_fix=$(median "${R_FIX[@]}"); e_fix=$(median "${E_FIX[@]}"); f_diff=$(calc "$r_fix - $e_fix")
span=$(mean "${R_SPAN[@]}" "${E_SPAN[@]}")
p_ratio=$(awk -v s="$span" -v r="$r_fix" -v e="$e_fix" 'BEGIN { printf "%.4f", (s + r) / (s + e) }')
say ""
say "outside the training loop (wall minus first-to-last-metric span; insensitive to the loop's noise):"
printf '  per run, research:run: %s\n' "$(printf '%.2f ' "${R_FIX[@]}")"
printf '  per run, exec:exec:    %s\n' "$(printf '%.2f ' "${E_FIX[@]}")"
printf '  medians: research:run %.2f s, exec:exec %.2f s: fixed cost %+.2f s (mean of the differences %+.2f, sd %.2f)   goal <= %s s   %s\n' \
  "$r_fix" "$e_fix" "$f_diff" "$(mean "${F_DIFF[@]}")" "$(sd "${F_DIFF[@]}")" "$GOAL_DIFF" "$(verdict "$f_diff" "$GOAL_DIFF")"
printf '  ratio for a training loop of the mean span (%.1f s): %.4f   goal <= %s   %s\n' "$span" "$p_ratio" "$GOAL_RATIO" \
  "$(verdict "$p_ratio" "$GOAL_RATIO")"
awk -v r="$(mean "${R_OTH[@]}")" -v e="$(mean "${E_OTH[@]}")" 'BEGIN { if (r > 0.2 || e > 0.2)
  printf "NOTE: other processes used %.2f / %.2f CPUs on average during the runs: the figures are disturbed\n", r, e }'

step "where the time goes (means over the timed runs, seconds)"
printf '%-62s %8s\n' "research:run" ""
printf '  %-60s %8.3f\n' "Maven start (JVM, core, until 'Scanning for projects')" "$(mean "${P_BOOT[@]}")"
printf '  %-60s %8.3f\n' "project model, plugin resolution (until '>>> fork')" "$(mean "${P_PROJ[@]}")"
printf '  %-60s %8.3f\n' "@Execute(phase=COMPILE) fork: resources + compiler" "$(mean "${P_FORK[@]}")"
printf '  %-60s %8.3f\n' "runtime dependency resolution (until '--- research:run')" "$(mean "${P_DEPS[@]}")"
printf '  %-60s %8.3f\n' "mojo until the record is written (config, git, gates)" "$(mean "${P_PRE[@]}")"
printf '  %-60s %8.3f\n' "record written until launch.sh written (training JVM start)" "$(mean "${P_SPAWN[@]}")"
printf '  %-60s %8.3f\n' "training JVM and completion of the record" "$(mean "${P_JVM[@]}")"
printf '  %-60s %8.3f\n' "record completed until Maven's 'Total time'" "$(mean "${P_POST[@]}")"
printf '  %-60s %8.3f\n' "Maven's exit" "$(mean "${P_EXIT[@]}")"
printf '%-62s %8s\n' "exec:exec" ""
printf '  %-60s %8.3f\n' "Maven start (JVM, core, until 'Scanning for projects')" "$(mean "${Q_BOOT[@]}")"
printf '  %-60s %8.3f\n' "project model, plugin and test-scope dependency resolution" "$(mean "${Q_PROJ[@]}")"
printf '  %-60s %8.3f\n' "exec mojo: the training JVM (until BUILD SUCCESS)" "$(mean "${Q_JVM[@]}")"
printf '  %-60s %8.3f\n' "Maven's exit" "$(mean "${Q_EXIT[@]}")"
printf 'training span (first to last metric) R %.3f s, E %.3f s\n' "$(mean "${R_SPAN[@]}")" "$(mean "${E_SPAN[@]}")"
printf 'after the last metric: research:run until the record is complete %.3f s; exec:exec until BUILD SUCCESS %.3f s\n' \
  "$(mean "${R_AFTER[@]}")" "$(mean "${E_AFTER[@]}")"

fingerprint >"$work/fingerprint.after"
if ! cmp -s "$work/fingerprint.before" "$work/fingerprint.after"; then
  say ""
  say "WARNING: the installed research-cycle artifacts changed during the benchmark (another build"
  say "installed them); the research:run figures may mix versions (--isolate prevents this):"
  diff "$work/fingerprint.before" "$work/fingerprint.after" | sed 's/^/  /' || true
fi
say ""
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "$keep" == true ]]; then
  say "kept: $work (logs/, gen/bench/runs/, exec-runs/)"
fi
