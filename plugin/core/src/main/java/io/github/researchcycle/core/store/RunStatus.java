package io.github.researchcycle.core.store;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a run stands; every status but {@code RUNNING} is final. */
public enum RunStatus {
  /** Started and, as far as anyone knows, still going. */
  RUNNING,
  /** The training process exited with code 0. */
  FINISHED,
  /** The training process exited with a non-zero code of its own, or could not start. */
  FAILED,
  /** The training process died without exiting: killed by a signal, or gone with its machine. */
  CRASHED,
  /** Stopped on request (Ctrl-C, SIGTERM, a cancelled job); may be resumed. */
  INTERRUPTED;

  /** The lower-case name used in {@code run.json}. */
  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a run in this status can be continued with {@code -Dresearch.resume}. */
  public boolean resumable() {
    return this == CRASHED || this == INTERRUPTED || this == FAILED;
  }
}
