package io.github.researchcycle.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a run stands; every status but {@code QUEUED} and {@code RUNNING} is final. */
public enum RunStatus {
  /** Submitted to a scheduler (Slurm, Kubernetes), not started yet. */
  QUEUED,
  /** Started and, as far as anyone knows, still going. */
  RUNNING,
  /** The training process exited with code 0. */
  FINISHED,
  /** The training process exited with a non-zero code of its own, or could not start. */
  FAILED,
  /** The training process died without exiting: killed by a signal, or gone with its machine. */
  CRASHED,
  /** Stopped on request (Ctrl-C, SIGTERM, a cancelled job); may be resumed. */
  INTERRUPTED,
  /** Cancelled before or while running (scancel, a deleted Job); may be resumed. */
  CANCELLED,
  /** Stopped by the scheduler at the profile's time limit; may be resumed. */
  TIMED_OUT;

  /** Whether the run may still change: queued or running. */
  public boolean active() {
    return this == QUEUED || this == RUNNING;
  }

  /** The lower-case name used in {@code run.json}. */
  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether a run in this status can be continued with {@code -Dresearch.resume}. */
  public boolean resumable() {
    return this == CRASHED || this == INTERRUPTED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
  }
}
