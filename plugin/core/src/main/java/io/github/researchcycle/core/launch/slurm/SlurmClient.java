package io.github.researchcycle.core.launch.slurm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the Slurm launcher asks of Slurm: submit a batch script, tell how a job (or each task of a
 * job array) stands, and cancel. {@link SlurmCommands} does it with Slurm's command-line tools;
 * tests fake it.
 */
public interface SlurmClient {
  /** The key of a job that is not an array, in {@link Job#tasks()}. */
  int NO_TASK = -1;

  /**
   * Why Slurm cannot be used from this machine (its commands are missing, its controller does not
   * answer), in words; empty when it can.
   */
  Optional<String> unavailable();

  /**
   * Submits {@code script} from {@code workDir} (where relative output paths and the job's working
   * folder point) and returns the job id.
   *
   * @throws SlurmException with Slurm's own words when the submission is refused
   */
  String submit(Path script, Path workDir) throws IOException;

  /**
   * How job {@code jobId} stands as the controller knows it: the job itself under {@link #NO_TASK},
   * or each task of a job array (pending tasks included) under its index.
   *
   * @throws SlurmException when the controller cannot be asked
   */
  Job job(String jobId) throws IOException;

  /**
   * The final state of a job (or array task) the controller has forgotten, from the accounting
   * records ({@code sacct}) or, without an accounting daemon, from the job-completion file
   * ({@code sacct -c}, which knows jobs by their raw id only).
   *
   * @param jobId the job id as submitted
   * @param task the array task index, or null
   * @param rawJobId the task's own job id (as the batch script saw it in {@code SLURM_JOB_ID}), or null
   */
  Optional<State> accounting(String jobId, Integer task, String rawJobId) throws IOException;

  /** Cancels a job, or one task of an array. */
  void cancel(String jobId, Integer task) throws IOException;

  /**
   * What the controller says of a job.
   *
   * @param known false when the controller no longer (or never) knew the job id
   * @param tasks the state of each task, or of the job under {@link #NO_TASK}
   */
  record Job(boolean known, Map<Integer, State> tasks) {
    /** A job the controller does not know. */
    public static Job unknown() {
      return new Job(false, Map.of());
    }

    /** The state of {@code task} (null: the job itself), if the controller told it. */
    public Optional<State> task(Integer task) {
      State s = tasks.get(task == null ? NO_TASK : task);
      if (s == null && task == null && tasks.size() == 1) {
        s = tasks.values().iterator().next();
      }
      return Optional.ofNullable(s);
    }
  }

  /**
   * One job's (or array task's) state.
   *
   * @param state Slurm's job state, for example {@code PENDING}, {@code RUNNING}, {@code TIMEOUT}
   * @param exitCode the batch script's exit code, when known
   * @param signal the signal that ended it, 0 for none, when known
   * @param reason Slurm's reason (why pending, why failed), or null
   */
  record State(String state, Integer exitCode, Integer signal, String reason) {
    /** The states after which a job never runs again. */
    private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED",
        "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "PREEMPTED", "DEADLINE", "REVOKED");
    /** The states of a job that has started and not ended. */
    private static final Set<String> STARTED = Set.of("RUNNING", "COMPLETING", "SUSPENDED",
        "STAGE_OUT", "SIGNALING", "STOPPED");

    /** Whether the job has ended for good. */
    public boolean ended() {
      return FINAL.contains(state);
    }

    /** Whether the job has started and is still going. */
    public boolean running() {
      return STARTED.contains(state);
    }
  }
}
