#!/usr/bin/env bash
# The git check of research:run on a repository with many committed run folders: GitInspector.inspect
# against JGit's StatusCommand over the whole tree (the named baseline), in one JVM, alternating.
# Prints medians and the ratio; asserts nothing about time.
#
# Usage: bench/git-status.sh [RUNS (default 10000)] [ROUNDS (default 7)]
# Needs: mvn, java 17, javac, and the reactor installed in ~/.m2 (mvn -B -q install -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs="${1:-10000}"
rounds="${2:-7}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -B -q -o -f "$root/plugin/core/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >"$work/classpath.log" 2>&1 \
  || { tail -20 "$work/classpath.log"; echo "dependency:build-classpath failed" >&2; exit 1; }
cp="$root/plugin/core/target/classes:$(cat "$work/cp.txt")"
javac -nowarn -d "$work/classes" -cp "$cp" "$here/src/GitStatusBench.java"
java -cp "$work/classes:$cp" GitStatusBench "$work/repo" "$runs" "$rounds"
