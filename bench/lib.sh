# shellcheck shell=bash disable=SC2034,SC2154
# Shell helpers the benchmark scripts share; sourced, not run. The scripts set `work` (their
# working folder) and `wait_idle` (seconds, 0 for none) before calling cpu_children or await_idle.

HZ=$(getconf CLK_TCK)
strip_ansi() { sed 's/\x1b\[[0-9;]*m//g'; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }

# CPU seconds used by the whole machine (all cores, not idle) and by this shell's finished
# children (the commands it waited for, with their own children).
cpu_busy() { awk -v hz="$HZ" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
# (Not in a $(...) subshell: `times` must run in this shell to see its children.)
cpu_children() { # sets CHILDREN
  times >"$work/times"
  CHILDREN=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2] } }
    END { printf "%.2f", s }' "$work/times")
}

# Waits (up to wait_idle seconds) for a 2-second window in which other processes use < 0.15 CPU.
await_idle() {
  [[ "$wait_idle" == 0 ]] && return 0
  local start b0 b1 busy
  start=$(now)
  while :; do
    b0=$(cpu_busy); sleep 2; b1=$(cpu_busy)
    busy=$(calc "($b1 - $b0) / 2")
    if awk -v b="$busy" 'BEGIN { exit !(b < 0.15) }'; then
      return 0
    fi
    if awk -v s="$start" -v n="$(now)" -v w="$wait_idle" 'BEGIN { exit !(n - s > w) }'; then
      say "  (machine still busy: $busy CPUs used by others; going on after waiting $wait_idle s)"
      return 0
    fi
  done
}

# Writes the classpath of research-runtime with the PyTorch CPU engine, versions from the reactor,
# plus any further <dependency> elements, to WORK/cp.txt (a throw-away pom in WORK).
# Usage: runtime_classpath WORK ROOT VERSION NAME [EXTRA_DEPENDENCY_XML]
runtime_classpath() {
  local work="$1" root="$2" version="$3" name="$4" extra="${5:-}"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>io.github.researchcycle</groupId>
    <artifactId>research-cycle</artifactId>
    <version>$version</version>
    <relativePath>$root/pom.xml</relativePath>
  </parent>
  <artifactId>$name</artifactId>
  <dependencies>
    <dependency><groupId>io.github.researchcycle</groupId><artifactId>research-runtime</artifactId></dependency>
    $extra
    <dependency><groupId>ai.djl.pytorch</groupId><artifactId>pytorch-engine</artifactId></dependency>
    <dependency><groupId>ai.djl.pytorch</groupId><artifactId>pytorch-jni</artifactId></dependency>
    <dependency><groupId>ai.djl.pytorch</groupId><artifactId>pytorch-native-cpu</artifactId><classifier>linux-x86_64</classifier></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId></dependency>
  </dependencies>
</project>
POM
  mvn -B -q -f "$work/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null
}
