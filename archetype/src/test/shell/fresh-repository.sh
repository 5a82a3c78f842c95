#!/usr/bin/env bash
# The newcomer's path on an EMPTY local Maven repository: install the tool, generate a research
# repository, `mvn research:run` once online (the README's main job), then `mvn -o research:verify`
# offline must succeed: everything verify's offline build needs was resolved by that first run.
# Usage: archetype/src/test/shell/fresh-repository.sh   (from anywhere; needs network for Maven once)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
repo="$(mktemp -d)"
work="$(mktemp -d)"
echo "fresh local repository: $repo (empty: $(find "$repo" -mindepth 1 | wc -l) entries); work folder: $work"
mvn_() { MAVEN_OPTS="" mvn -B -Dmaven.repo.local="$repo" "$@"; }

# 1. Install the tool (as the README's first command does), online.
(cd "$root" && mvn_ -q install -DskipTests -Darchetype.test.skip=true \
  -pl .,templates,plugin/core,plugin/runtime,plugin/maven,archetype)
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)"
# Whatever the tool's own build fetched of maven-dependency-plugin goes: the newcomer's project
# must not depend on it having been fetched by anything but its own build.
rm -rf "$repo/org/apache/maven/plugins/maven-dependency-plugin"

# 2. Generate and commit, as the README says.
cd "$work"
mvn_ -q org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate -DarchetypeGroupId=io.github.researchcycle \
  -DarchetypeArtifactId=research-archetype -DarchetypeVersion="$version" -DgroupId=org.example \
  -DartifactId=spirals -Dpackage=org.example.spirals -DinteractiveMode=false
cd spirals
git init -q && git add -A && git -c user.name=you -c user.email=you@example.org commit -qm "Start the research"

# 3. The first run, online: it resolves the project's build.
mvn_ research:run > "$work/run.log" 2>&1 || { tail -40 "$work/run.log"; exit 1; }
grep -E "Run .* finished" "$work/run.log"

# 4. Verify offline.
if ! mvn_ -o research:verify > "$work/verify.log" 2>&1; then
  tail -30 "$work/verify.log"
  echo "FAIL: research:verify did not succeed offline; kept $repo and $work"
  exit 1
fi
grep -E "identical|differs|verified" "$work/verify.log" | tail -8
ls runs/*/verification.json

# 5. Control: the former offline build (compile dependency:build-classpath) in this same state. Its
# plugin's descriptor was resolved (prefix lookup reads every declared plugin), but the plugin never
# ran, so its own dependencies are missing offline.
if mvn_ -q -o compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" > "$work/control.log" 2>&1; then
  echo "control: the former offline build also succeeds here"
else
  echo "control: the former offline build fails here: $(grep -m1 'ERROR\] Failed' "$work/control.log" | cut -c1-200)"
fi
echo "PASS: research:verify succeeded offline on a repository that only research:run had filled"
rm -rf "$repo" "$work"
