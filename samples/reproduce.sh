#!/usr/bin/env bash
# Re-runs the full reproductions of the samples with the plugin, each in a temporary copy of its
# folder made into a git repository of its own (the checkout is never touched), and prints the
# paper's numbers, the committed ones and the ones just reproduced, side by side.
#
#   samples/reproduce.sh                      # both samples (about 2 + 9 minutes on 2 cores)
#   samples/reproduce.sh fashion-mnist-mlp    # one of them
#
# Each sample: a smoke run, then baseline and method over the 5 seeds of research.yaml, then
# research:status, which judges the pre-registered claim from the new records. Extra Maven options
# go in MVN_ARGS (for example MVN_ARGS=-Dmaven.repo.local=/path/to/repo); KEEP=1 keeps the copies.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
mvn_args=(-B -q ${MVN_ARGS:-})

# sample | metric | method experiment | paper: baseline | paper: method | what the paper's rows are
table=(
  "fashion-mnist-mlp|test_accuracy|mlp|0.842|0.871|Xiao et al. 2017, Table 3: LogisticRegression (l1, ovr, C=1) and MLPClassifier (relu, [100])"
  "lenet5-mnist|test_error|lenet5|0.1200|0.0095|LeCun et al. 1998, Fig. 9: linear classifier 12.0 %, LeNet-5 0.95 %"
)

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(fashion-mnist-mlp lenet5-mnist)
for w in "${wanted[@]}"; do
  case "$w" in fashion-mnist-mlp|lenet5-mnist) ;; *) echo "Unknown sample '$w'. Use fashion-mnist-mlp, lenet5-mnist or nothing for both." >&2; exit 2 ;; esac
done

echo "Installing the plugin and runtime of this checkout (mvn install -DskipTests) ..."
(cd "$root" && mvn "${mvn_args[@]}" install -DskipTests -pl plugin/maven,plugin/runtime -am)

# "  NAME   n = 5, mean 0.8789, sd 0.0025, 95% CI ..." from research:status -> "0.8789 ± 0.0025 (n = 5)"
summary() { # status-output experiment
  sed -n "s/^\[INFO\]   $2 *n = \([0-9]*\), mean \([^,]*\), sd \([^,]*\),.*/\2 ± \3 (n = \1)/p" <<<"$1" | head -1
}
verdict() { sed -n 's/^\[INFO\] Claim ([^)]*): \([A-Z]*\)$/\1/p' <<<"$1" | head -1; }
compute() { sed -n 's/^\[INFO\] Time: .*; compute \(.*\)$/\1/p' <<<"$1" | head -1; }

report=""
for row in "${table[@]}"; do
  IFS='|' read -r name metric method paper_base paper_method rows <<<"$row"
  [[ " ${wanted[*]} " == *" $name "* ]] || continue
  work="$(mktemp -d "${TMPDIR:-/tmp}/reproduce-$name-XXXXXX")"
  echo
  echo "== $name: copying into $work and running the cycle"
  (cd "$here/$name" && git ls-files -z | grep -zv '^runs/2' | xargs -0 -I{} cp --parents {} "$work/")
  cd "$work"
  git init -q
  git add -A
  git -c user.name=reproduce -c user.email=reproduce@example.org -c commit.gpgsign=false commit -qm "The sample, as committed"
  start=$(date +%s)
  mvn "${mvn_args[@]}" research:run
  git add -A && git -c user.name=reproduce -c user.email=reproduce@example.org -c commit.gpgsign=false commit -qm "Smoke run"
  mvn "${mvn_args[@]}" research:run -Dresearch.experiment=baseline -Dresearch.seeds=5
  mvn "${mvn_args[@]}" research:run -Dresearch.experiment="$method" -Dresearch.seeds=5
  took=$(( $(date +%s) - start ))
  now="$(mvn -B ${MVN_ARGS:-} research:status 2>&1)"
  committed="$(cd "$here/$name" && mvn -B ${MVN_ARGS:-} research:status 2>&1)"
  cd "$here"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
  report+=$(printf '\n%s (%s; %s)\n' "$name" "$metric" "$rows")
  report+=$(printf '\n  %-10s %-8s %-30s %-30s' "" "paper" "committed records" "reproduced now")
  report+=$(printf '\n  %-10s %-8s %-30s %-30s' "baseline" "$paper_base" "$(summary "$committed" baseline)" "$(summary "$now" baseline)")
  report+=$(printf '\n  %-10s %-8s %-30s %-30s' "$method" "$paper_method" "$(summary "$committed" "$method")" "$(summary "$now" "$method")")
  report+=$(printf '\n  %-10s %-8s %-30s %-30s' "verdict" "" "$(verdict "$committed")" "$(verdict "$now")")
  report+=$(printf '\n  %-10s %-8s %-30s %-30s\n' "compute" "" "$(compute "$committed")" "$(compute "$now") ($took s wall clock)")
done
echo
echo "Paper, committed and reproduced numbers (mean ± sd over seeds):"
echo "$report"
