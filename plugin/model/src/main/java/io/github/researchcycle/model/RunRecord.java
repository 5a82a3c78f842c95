package io.github.researchcycle.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.model.GitProvenance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code runs/RUN_ID/run.json}: everything needed to trust a run months later and to
 * re-create it (provenance is data).
 *
 * @param schema the version of this layout
 * @param id the run id, sortable by start time
 * @param experiment the experiment name
 * @param profile the launch profile name
 * @param status where the run stands
 * @param reason why it failed, crashed or was interrupted, in words; null when finished
 * @param started when the record was created
 * @param ended when the run ended; null while running
 * @param durationSeconds wall time from start to end
 * @param exitCode the training process's exit code; null while running or when it never started
 * @param host the machine the training process runs on
 * @param pid the training process id on {@code host}; null before it started
 * @param git commit, branch, clean tree, diff hash
 * @param allowDirty whether the run was allowed on a dirty tree (then it cannot be published)
 * @param config the fully resolved configuration
 * @param configHash {@code sha256:} of the canonical resolved configuration
 * @param configSources the experiment files merged
 * @param overrides the command-line overrides applied
 * @param mainClass the training entry point
 * @param seed the seed of this run
 * @param environment Java, OS, CPUs, heap, engine and devices, as seen by the training process
 * @param data data-set manifest hashes, by data-set name
 * @param launcher how the run was launched: target, command, job id
 * @param resumes each time the run was resumed: when, from which checkpoint
 * @param finalMetrics the last value logged for each metric name
 * @param purpose null for a run of the experiment; {@code lr-find} for a learning-rate range test,
 *     which never counts towards a claim
 * @param sweep the sweep this run is a point of, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
    int schema,
    String id,
    String experiment,
    String profile,
    RunStatus status,
    String reason,
    Instant started,
    Instant ended,
    Double durationSeconds,
    Integer exitCode,
    String host,
    Long pid,
    GitProvenance git,
    boolean allowDirty,
    ObjectNode config,
    String configHash,
    List<String> configSources,
    List<String> overrides,
    String mainClass,
    long seed,
    Map<String, Object> environment,
    Map<String, String> data,
    Launcher launcher,
    List<Resume> resumes,
    Map<String, Double> finalMetrics,
    String purpose,
    Sweep sweep) {

  /** The current layout version. */
  public static final int SCHEMA = 1;

  /** The purpose of a learning-rate range test. */
  public static final String LR_FIND = "lr-find";

  /**
   * How a run was launched.
   *
   * @param target {@code local}, {@code slurm}, {@code kubernetes} or {@code tpu-vm}
   * @param command the exact command line of the training process
   * @param heap the heap given to the training JVM
   * @param jobId the scheduler's job id, when there is a scheduler
   * @param arrayTask the task index within the scheduler's job array, when the run is one task of one
   * @param script the launch script or manifest, relative to the run directory
   * @param devices the devices asked for ({@code cpu}, {@code gpu:N}, {@code tpu})
   * @param schedulerState the scheduler's last word on the job (for example {@code PENDING}, {@code TIMEOUT})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Launcher(String target, List<String> command, String heap, String jobId, Integer arrayTask,
      String script, String devices, String schedulerState) {

    /** A launcher of {@code target} with a command line and heap, nothing else known yet. */
    public Launcher(String target, List<String> command, String heap, String jobId) {
      this(target, command, heap, jobId, null, null, null, null);
    }

    /** This launcher with the scheduler's job id and the run's task index (null when not an array). */
    public Launcher withJob(String newJobId, Integer task) {
      return new Launcher(target, command, heap, newJobId, task, script, devices, schedulerState);
    }

    /** This launcher with the scheduler's latest state of the job. */
    public Launcher withSchedulerState(String state) {
      return new Launcher(target, command, heap, jobId, arrayTask, script, devices, state);
    }

    /** Whether the run is started and followed by a scheduler rather than by a local process. */
    @JsonIgnore
    public boolean scheduled() {
      return target != null && !"local".equals(target);
    }
  }

  /**
   * The sweep a run belongs to.
   *
   * @param name the sweep's name: given, or derived from the experiment and the grid
   * @param grid the grid as given ({@code key=v1,v2;key2=v3})
   * @param point this run's value of each grid key
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Sweep(String name, String grid, Map<String, String> point) {}

  /**
   * Whether this run may back the claim: a run of its experiment, not a learning-rate range test
   * and not a point of a sweep (exploration: choosing the best point of a grid and calling it the
   * result would move the goalpost).
   */
  @JsonIgnore
  public boolean backsClaims() {
    return isExperimentRun() && sweep == null;
  }

  /** Whether this run is a run of its experiment (not a learning-rate test). */
  @JsonIgnore
  public boolean isExperimentRun() {
    return purpose == null;
  }

  /** The scheduler state of a record whose launch files were written by a dry run and never submitted. */
  public static final String DRY_RUN = "DRY-RUN";

  /** Whether this record was written by a dry run and never submitted: it will not run. */
  @JsonIgnore
  public boolean dryRun() {
    return status == RunStatus.QUEUED && launcher != null && DRY_RUN.equals(launcher.schedulerState());
  }

  /** Whether a scheduler (not a local process) runs this record. */
  @JsonIgnore
  public boolean scheduled() {
    return launcher != null && launcher.scheduled();
  }

  /** This record with new launch details, status unchanged. */
  public RunRecord withLauncher(Launcher newLauncher) {
    return new RunRecord(schema, id, experiment, profile, status, reason, started, ended, durationSeconds, exitCode,
        host, pid, git, allowDirty, config, configHash, configSources, overrides, mainClass, seed, environment, data,
        newLauncher, resumes, finalMetrics, purpose, sweep);
  }

  /** This record, now running (as a scheduler reported), with its launch details. */
  public RunRecord running(Launcher newLauncher) {
    return new RunRecord(schema, id, experiment, profile, RunStatus.RUNNING, null, started, null, null, null, host,
        pid, git, allowDirty, config, configHash, configSources, overrides, mainClass, seed, environment, data,
        newLauncher, resumes, finalMetrics, purpose, sweep);
  }

  /**
   * One resumption of a run.
   *
   * @param at when it was resumed
   * @param fromStatus the status it had then
   * @param checkpoint the checkpoint it continued from (relative to the run directory), or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resume(Instant at, RunStatus fromStatus, String checkpoint) {}

  /** This record with a new status, reason, end and exit code. */
  public RunRecord ended(RunStatus newStatus, String newReason, Instant end, Integer code) {
    double seconds = started == null || end == null ? 0 : (end.toEpochMilli() - started.toEpochMilli()) / 1000.0;
    return new RunRecord(schema, id, experiment, profile, newStatus, newReason, started, end, seconds, code, host,
        pid, git, allowDirty, config, configHash, configSources, overrides, mainClass, seed, environment, data,
        launcher, resumes, finalMetrics, purpose, sweep);
  }

  /** This record with the training process's id and launch details. */
  public RunRecord launched(long newPid, Launcher newLauncher) {
    return new RunRecord(schema, id, experiment, profile, RunStatus.RUNNING, null, started, null, null, null, host,
        newPid, git, allowDirty, config, configHash, configSources, overrides, mainClass, seed, environment, data,
        newLauncher, resumes, finalMetrics, purpose, sweep);
  }

  /** This record with the environment and final metrics read from the run directory. */
  public RunRecord observed(Map<String, Object> newEnvironment, Map<String, Double> metrics) {
    return new RunRecord(schema, id, experiment, profile, status, reason, started, ended, durationSeconds, exitCode,
        host, pid, git, allowDirty, config, configHash, configSources, overrides, mainClass, seed,
        newEnvironment, data, launcher, resumes, metrics, purpose, sweep);
  }

  /** This record, running again after a resumption, with the git state of the resumed attempt. */
  public RunRecord resumed(Resume resume, GitProvenance newGit, String newHost) {
    List<Resume> all = new ArrayList<>(resumes == null ? List.of() : resumes);
    all.add(resume);
    return new RunRecord(schema, id, experiment, profile, RunStatus.RUNNING, null, started, null, null, null,
        newHost, null, newGit, allowDirty, config, configHash, configSources, overrides, mainClass, seed,
        environment, data, launcher, List.copyOf(all), finalMetrics, purpose, sweep);
  }
}
