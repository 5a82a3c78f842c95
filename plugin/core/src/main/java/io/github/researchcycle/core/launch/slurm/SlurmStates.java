package io.github.researchcycle.core.launch.slurm;

import io.github.researchcycle.model.RunStatus;

/** How a Slurm job's final state becomes a run's status, reason and exit code. */
public final class SlurmStates {
  private SlurmStates() {}

  /**
   * A run's end as Slurm reported it.
   *
   * @param status the run's status
   * @param reason why, in words; null when it finished
   * @param exitCode the training process's exit code, when known
   */
  public record Outcome(RunStatus status, String reason, Integer exitCode) {}

  /**
   * The end of run {@code runId} whose job (or array task) ended in {@code s}.
   *
   * @param profileFile the profile's file, {@code launch/NAME.yaml}, named in the fixes
   * @param timeLimit the profile's time limit, or null
   * @param memory the profile's memory, or null
   */
  public static Outcome outcome(SlurmClient.State s, String runId, String profileFile, String timeLimit,
      String memory) {
    Integer code = s.exitCode();
    // A job stopped by Slurm reports 0 with the signal; only a code of its own is the process's.
    Integer own = code == null || code == 0 ? null : code;
    int signal = s.signal() == null ? 0 : s.signal();
    String log = "; see runs/" + runId + "/output.log";
    String resume = "; continue it with -Dresearch.resume=" + runId;
    String state = s.state();
    return switch (state) {
      case "COMPLETED" -> new Outcome(RunStatus.FINISHED, null, code == null ? 0 : code);
      case "FAILED" -> failed(s, code, signal, log);
      case "CANCELLED" -> new Outcome(RunStatus.CANCELLED, "the Slurm job was cancelled"
          + (s.reason() != null && s.reason().startsWith("by ") ? " " + s.reason().replace("by ", "by uid ") : "")
          + " (scancel)" + resume, own);
      case "TIMEOUT" -> new Outcome(RunStatus.TIMED_OUT, "Slurm stopped the job at its time limit"
          + (timeLimit == null ? " (the partition's default; set `timeLimit` in " + profileFile + ")"
              : " (timeLimit " + timeLimit + " in " + profileFile + ")") + resume, own);
      case "DEADLINE" -> new Outcome(RunStatus.TIMED_OUT, "Slurm stopped the job at its deadline" + resume, own);
      case "OUT_OF_MEMORY" -> new Outcome(RunStatus.CRASHED, "out of memory: Slurm stopped the job at its memory "
          + "limit" + (memory == null ? "" : " (memory " + memory + ")") + ". Fix: raise `memory` in " + profileFile
          + resume, own);
      case "NODE_FAIL" -> new Outcome(RunStatus.CRASHED, "its node failed (Slurm: NODE_FAIL)" + resume, own);
      case "BOOT_FAIL" -> new Outcome(RunStatus.CRASHED, "its node did not boot (Slurm: BOOT_FAIL)" + resume, own);
      case "PREEMPTED" -> new Outcome(RunStatus.CRASHED, "Slurm preempted the job for another one" + resume, own);
      case "REVOKED" -> new Outcome(RunStatus.CANCELLED, "Slurm revoked the job (it ran on another cluster)", own);
      default -> new Outcome(RunStatus.CRASHED, "Slurm ended the job as " + state
          + (s.reason() == null ? "" : " (" + s.reason() + ")") + log, own);
    };
  }

  private static Outcome failed(SlurmClient.State s, Integer code, int signal, String log) {
    if (code != null && code != 0) {
      if (code == 130 || code == 143) {
        return new Outcome(RunStatus.INTERRUPTED, "stopped by " + (code == 130 ? "SIGINT" : "SIGTERM") + log, code);
      }
      if (code > 128) {
        return new Outcome(RunStatus.CRASHED, "killed by signal " + (code - 128)
            + (code == 137 ? " (SIGKILL: killed, or out of memory)" : "") + log, code);
      }
      return new Outcome(RunStatus.FAILED, "the training process exited with code " + code + log, code);
    }
    if (signal != 0) {
      return new Outcome(RunStatus.CRASHED, "the job was killed by signal " + signal + log, code);
    }
    return new Outcome(RunStatus.FAILED, "the Slurm job failed" + (s.reason() == null ? "" : " (" + s.reason() + ")")
        + log, code);
  }
}
