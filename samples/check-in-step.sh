#!/usr/bin/env bash
# The samples are the archetype's output plus their research. This generates each sample afresh
# from the archetype installed in the local repository and fails when a framework file of the
# sample (any generated file that is not a declared research file) differs from what the archetype
# generates today, or is missing. Declared research files, which a sample may change: the model and
# training code (src/main/java, src/test/java), data manifests, experiments, research.yaml, the
# README and the writeup.
#
#   samples/check-in-step.sh            # check; exit 1 with the differences
#   samples/check-in-step.sh --update   # copy the archetype's framework files into the samples
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The reactor's version, from the root pom (the project's own <version>, two spaces in).
version="$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$here/../pom.xml" | head -1)"
update=false
[ "${1:-}" = "--update" ] && update=true
research='^(src/main/java/|src/test/java/|data/|experiments/|research\.yaml$|README\.md$|writeup/)'
# name  package  dataset
samples=(
  "fashion-mnist-mlp io.github.researchcycle.samples.fashion fashion-mnist"
  "lenet5-mnist io.github.researchcycle.samples.lenet mnist"
)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
for line in "${samples[@]}"; do
  read -r name package dataset <<<"$line"
  (cd "$out" && mvn -ntp -q -B org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate \
    -DarchetypeGroupId=io.github.researchcycle -DarchetypeArtifactId=research-archetype \
    -DarchetypeVersion="$version" -DgroupId=io.github.researchcycle.samples -DartifactId="$name" \
    -Dversion="$version" -Dpackage="$package" -Ddataset="$dataset" -DinteractiveMode=false -Dstyle.color=never)
  checked=0
  while IFS= read -r file; do
    if [[ "$file" =~ $research ]]; then
      continue
    fi
    checked=$((checked + 1))
    if ! cmp -s "$out/$name/$file" "$here/$name/$file"; then
      if $update; then
        mkdir -p "$(dirname "$here/$name/$file")"
        cp "$out/$name/$file" "$here/$name/$file"
        echo "updated samples/$name/$file"
      else
        echo "samples/$name/$file differs from the archetype's output:"
        diff -u "$out/$name/$file" "$here/$name/$file" | head -40 || true
        status=1
      fi
    fi
  done < <(cd "$out/$name" && find . -type f | sed 's|^\./||' | sort)
  echo "samples/$name: $checked framework files compared with a fresh generation"
done
if [ "$status" -ne 0 ]; then
  echo "Fix: samples/check-in-step.sh --update (then re-run the sample's claim runs: its code changed)." >&2
fi
exit "$status"
