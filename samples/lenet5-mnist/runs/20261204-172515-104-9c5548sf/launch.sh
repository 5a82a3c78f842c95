#!/bin/sh
# Every value below is quoted to stay literal, $ and backquotes included:
# shellcheck disable=SC2016
# Launch record of run 20261204-172515-104-9c5548sf: experiment lenet5, seed 2, profile local.
# Rendered by research-maven-plugin 0.1.0-SNAPSHOT and kept with the run: this is the exact
# command that started the training process. Running it again writes into the same run folder;
# to repeat the run as a new record, use `mvn research:run` (or research:verify, when available).
set -eu
cd /work/main/samples/lenet5-mnist
export OMP_NUM_THREADS=1
exec \
  /usr/lib/jvm/java-17-openjdk-amd64/bin/java \
  -Xmx1g \
  -XX:+ExitOnOutOfMemoryError \
  -Dfile.encoding=UTF-8 \
  -Dai.djl.offline=true \
  -Dresearch.run.dir=/work/main/samples/lenet5-mnist/runs/20261204-172515-104-9c5548sf \
  -Dresearch.console=plain \
  -Dresearch.data.dir.mnist=/root/.cache/research-cycle/data/mnist \
  -cp \
  /work/main/samples/lenet5-mnist/target/classes:/root/.m2/repository/io/github/researchcycle/research-runtime/0.1.0-SNAPSHOT/research-runtime-0.1.0-SNAPSHOT.jar:/root/.m2/repository/io/github/researchcycle/research-model/0.1.0-SNAPSHOT/research-model-0.1.0-SNAPSHOT.jar:/root/.m2/repository/com/fasterxml/jackson/core/jackson-databind/2.18.2/jackson-databind-2.18.2.jar:/root/.m2/repository/com/fasterxml/jackson/core/jackson-annotations/2.18.2/jackson-annotations-2.18.2.jar:/root/.m2/repository/com/fasterxml/jackson/core/jackson-core/2.18.2/jackson-core-2.18.2.jar:/root/.m2/repository/com/fasterxml/jackson/datatype/jackson-datatype-jsr310/2.18.2/jackson-datatype-jsr310-2.18.2.jar:/root/.m2/repository/io/github/researchcycle/research-core/0.1.0-SNAPSHOT/research-core-0.1.0-SNAPSHOT.jar:/root/.m2/repository/io/github/researchcycle/research-templates/0.1.0-SNAPSHOT/research-templates-0.1.0-SNAPSHOT.jar:/root/.m2/repository/org/eclipse/jgit/org.eclipse.jgit/7.1.0.202411261347-r/org.eclipse.jgit-7.1.0.202411261347-r.jar:/root/.m2/repository/com/googlecode/javaewah/JavaEWAH/1.2.3/JavaEWAH-1.2.3.jar:/root/.m2/repository/com/fasterxml/jackson/dataformat/jackson-dataformat-yaml/2.18.2/jackson-dataformat-yaml-2.18.2.jar:/root/.m2/repository/org/yaml/snakeyaml/2.3/snakeyaml-2.3.jar:/root/.m2/repository/org/apache/velocity/velocity-engine-core/2.4.1/velocity-engine-core-2.4.1.jar:/root/.m2/repository/org/apache/commons/commons-lang3/3.17.0/commons-lang3-3.17.0.jar:/root/.m2/repository/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar:/root/.m2/repository/org/jfree/jfreechart/1.5.6/jfreechart-1.5.6.jar:/root/.m2/repository/org/jfree/org.jfree.svg/5.0.6/org.jfree.svg-5.0.6.jar:/root/.m2/repository/org/commonmark/commonmark/0.24.0/commonmark-0.24.0.jar:/root/.m2/repository/org/commonmark/commonmark-ext-gfm-tables/0.24.0/commonmark-ext-gfm-tables-0.24.0.jar:/root/.m2/repository/me/tongfei/progressbar/0.10.1/progressbar-0.10.1.jar:/root/.m2/repository/org/jline/jline-terminal/3.24.1/jline-terminal-3.24.1.jar:/root/.m2/repository/org/jline/jline-native/3.24.1/jline-native-3.24.1.jar:/root/.m2/repository/ai/djl/api/0.33.0/api-0.33.0.jar:/root/.m2/repository/com/google/code/gson/gson/2.13.1/gson-2.13.1.jar:/root/.m2/repository/com/google/errorprone/error_prone_annotations/2.38.0/error_prone_annotations-2.38.0.jar:/root/.m2/repository/net/java/dev/jna/jna/5.14.0/jna-5.14.0.jar:/root/.m2/repository/org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar:/root/.m2/repository/commons-codec/commons-codec/1.17.1/commons-codec-1.17.1.jar:/root/.m2/repository/commons-io/commons-io/2.16.1/commons-io-2.16.1.jar:/root/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:/root/.m2/repository/ai/djl/pytorch/pytorch-engine/0.33.0/pytorch-engine-0.33.0.jar:/root/.m2/repository/ai/djl/pytorch/pytorch-jni/2.5.1-0.33.0/pytorch-jni-2.5.1-0.33.0.jar:/root/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/2.5.1/pytorch-native-cpu-2.5.1-linux-x86_64.jar:/root/.m2/repository/org/slf4j/slf4j-simple/2.0.16/slf4j-simple-2.0.16.jar \
  io.github.researchcycle.samples.lenet.Train

