#!/usr/bin/env bash
# Every value below is quoted to stay literal, $ and backquotes included, quoted twice in the
# commands that the VM's shell reads:
# shellcheck disable=SC2016,SC1003
# TPU VM launch of run 20261127-025120-123-k3f9x2ab: experiment a b'c;$x, seed 3, profile tpu.
# Rendered by research-maven-plugin 0.1.0-SNAPSHOT and kept with the run.
#
# DJL has no TPU engine, so no Java runs on the VM: it runs the profile's `tpu.command`, your own
# JAX or PyTorch/XLA program, in the copied project folder. That program must write the run-folder
# contract itself: metrics.jsonl lines such as
#   {"step":12,"epoch":0,"name":"loss","value":0.6931,"time":1764212345123}
# into $RESEARCH_RUN_DIR (and, if it can, environment.json). Its environment:
#   RESEARCH_RUN_DIR       the run folder on the VM
#   RESEARCH_RUN_ID        the run id
#   RESEARCH_CONFIG        the run record (run.json: the resolved config under "config")
#   RESEARCH_SEED          the run's seed
#   RESEARCH_EXPERIMENT    the experiment's name
#   RESEARCH_TPU_CORES     the TPU's cores (from the accelerator type)
#   RESEARCH_GLOBAL_BATCH  the batch of one step over all cores, when known
#   RESEARCH_BATCH_PER_CORE  the batch of one core, when known
# and the profile's `env`.
#
# Usage: bash tpu.sh [all|create|copy|run|fetch|delete]
#   all     (the default) every step below in order; the VM is deleted on any exit,
#           a failure or Ctrl-C included
#   create  create the TPU VM
#   copy    copy the project (without runs/, target/ and .git/) and this run's record to the VM
#   run     run the command on the VM; its console goes here and to output.log
#   fetch   copy the run folder back (metrics.jsonl, artifacts, ...)
#   delete  delete the TPU VM
# `mvn research:run` runs these steps itself when gcloud is installed and has an account, and
# completes the run record from the exit code of `run` and the fetched folder.
set -euo pipefail

VM=rc-a-b-c-x-20261127-025120-123-k3f9x2ab
ZONE=us-central2-b
ACCELERATOR_TYPE=v4-8
RUNTIME_VERSION=tpu-ubuntu2204-base
PROJECT=my-proj
SPOT=yes
WORKERS=0
PROJECT_DIR='/home/me/my project'
RUN_ID=20261127-025120-123-k3f9x2ab
RUN_DIR='/home/me/my project/runs/20261127-025120-123-k3f9x2ab'
REMOTE_DIR=research-project
# The commands the VM's shell runs: each value in them is quoted for that shell.
REMOTE_UNPACK='rm -rf research-project && mkdir -p research-project/runs/20261127-025120-123-k3f9x2ab && tar -xzf project.tar.gz -C research-project && rm -f project.tar.gz && mv run.json research-project/runs/20261127-025120-123-k3f9x2ab/run.json'
REMOTE_RUN='cd research-project && export RESEARCH_RUN_DIR="$PWD"/runs/20261127-025120-123-k3f9x2ab RESEARCH_RUN_ID=20261127-025120-123-k3f9x2ab RESEARCH_CONFIG="$PWD"/runs/20261127-025120-123-k3f9x2ab/run.json RESEARCH_SEED=3 RESEARCH_EXPERIMENT='\''a b'\''\'\'''\''c;$x'\'' RESEARCH_TPU_CORES=4 RESEARCH_GLOBAL_BATCH=128 RESEARCH_BATCH_PER_CORE=32 TRICKY='\''$(touch INJECTED) `touch INJECTED` ; touch INJECTED #'\'' XLA_FLAGS='\''--xla_dump_to=/tmp/x y'\'' && exec python3 train_tpu.py --name '\''a b'\''\'\'''\''c;$x'\'''

tpu() {
  gcloud compute tpus tpu-vm "$@" --zone="$ZONE" ${PROJECT:+"--project=$PROJECT"}
}

create() {
  tpu create "$VM" --accelerator-type="$ACCELERATOR_TYPE" --version="$RUNTIME_VERSION" ${SPOT:+--spot}
}

copy() {
  local tmp
  tmp="$(mktemp -d)"
  tar -czf "$tmp/project.tar.gz" --exclude=./runs --exclude=./target --exclude=./.git -C "$PROJECT_DIR" .
  cp "$RUN_DIR/run.json" "$tmp/run.json"
  tpu scp "$tmp/project.tar.gz" "$tmp/run.json" "$VM:" --worker="$WORKERS"
  rm -rf "$tmp"
  tpu ssh "$VM" --worker="$WORKERS" --command="$REMOTE_UNPACK"
}

run() {
  tpu ssh "$VM" --worker="$WORKERS" --command="$REMOTE_RUN" 2>&1 | tee -a "$RUN_DIR/output.log"
}

fetch() {
  local tmp
  tmp="$(mktemp -d)"
  tpu scp --recurse "$VM:$REMOTE_DIR/runs/$RUN_ID" "$tmp/"
  # The record and the console log of this machine are the ones kept.
  rm -f "$tmp/$RUN_ID/run.json" "$tmp/$RUN_ID/output.log"
  cp -R "$tmp/$RUN_ID/." "$RUN_DIR/"
  rm -rf "$tmp"
}

delete() {
  tpu delete "$VM" --quiet
}

all() {
  trap 'delete || echo "Could not delete TPU VM $VM: delete it by hand (bash tpu.sh delete)." >&2' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  create
  copy
  local status=0
  run || status=$?
  fetch || echo "Could not copy the run folder back from $VM." >&2
  return "$status"
}

case "${1:-all}" in
  all | create | copy | run | fetch | delete) "${1:-all}" ;;
  *)
    echo "usage: bash tpu.sh [all|create|copy|run|fetch|delete]" >&2
    exit 2
    ;;
esac

