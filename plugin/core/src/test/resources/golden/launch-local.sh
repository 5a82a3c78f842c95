#!/bin/sh
# Every value below is quoted to stay literal, $ and backquotes included:
# shellcheck disable=SC2016
# Launch record of run 20261127-025120-123-k3f9x2ab: experiment a b'c;$x, seed 3, profile local.
# Rendered by research-maven-plugin 0.1.0-SNAPSHOT and kept with the run: this is the exact
# command that started the training process. Running it again writes into the same run folder;
# to repeat the run as a new record, use `mvn research:run` (or research:verify, when available).
set -eu
cd '/tmp/w d'
export OMP_NUM_THREADS=4
export TRICKY='p$HOME "q" '\''r'\'' `id` \n'
exec \
  '/opt/java 17/bin/java' \
  -Xmx1g \
  '-Dresearch.run.dir=/tmp/w d/runs/x' \
  -cp \
  '/tmp/w d/target/classes:/repo/a.jar' \
  io.github.x.Train \
  'a b'\''c;$x'

