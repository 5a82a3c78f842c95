package io.github.researchcycle.core.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.git.GitProvenance;
import java.time.Instant;
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
    Map<String, Double> finalMetrics) {

  /** The current layout version. */
  public static final int SCHEMA = 1;

  /**
   * How a run was launched.
   *
   * @param target {@code local}, {@code slurm}, {@code kubernetes} or {@code tpu-vm}
   * @param command the exact command line of the training process
   * @param heap the heap given to the training JVM
   * @param jobId the scheduler's job id, when there is a scheduler
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Launcher(String target, List<String> command, String heap, String jobId) {}

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
        launcher, resumes, finalMetrics);
  }

  /** This record with the training process's id and launch details. */
  public RunRecord launched(long newPid, Launcher newLauncher) {
    return new RunRecord(schema, id, experiment, profile, RunStatus.RUNNING, null, started, null, null, null, host,
        newPid, git, allowDirty, config, configHash, configSources, overrides, mainClass, seed, environment, data,
        newLauncher, resumes, finalMetrics);
  }

  /** This record with the environment and final metrics read from the run directory. */
  public RunRecord observed(Map<String, Object> newEnvironment, Map<String, Double> metrics) {
    return new RunRecord(schema, id, experiment, profile, status, reason, started, ended, durationSeconds, exitCode,
        host, pid, git, allowDirty, config, configHash, configSources, overrides, mainClass, seed,
        newEnvironment, data, launcher, resumes, metrics);
  }

  /** This record, running again after a resumption, with the git state of the resumed attempt. */
  public RunRecord resumed(Resume resume, GitProvenance newGit, String newHost) {
    List<Resume> all = new java.util.ArrayList<>(resumes == null ? List.of() : resumes);
    all.add(resume);
    return new RunRecord(schema, id, experiment, profile, RunStatus.RUNNING, null, started, null, null, null,
        newHost, null, newGit, allowDirty, config, configHash, configSources, overrides, mainClass, seed,
        environment, data, launcher, List.copyOf(all), finalMetrics);
  }
}
