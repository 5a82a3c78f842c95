package io.github.researchcycle.model;

import java.util.Locale;

/**
 * A full disk, as both JVMs of a run see it: the exit code the training process ends with when it
 * cannot write its metrics or checkpoints for want of space, and how such an error is recognized.
 */
public final class DiskFull {
  /** The training process's exit code on a full disk (ENOSPC is errno 28). */
  public static final int EXIT_CODE = 28;
  /** The reason recorded in {@code run.json} for a run that ended on a full disk. */
  public static final String REASON = "disk full";

  private DiskFull() {}

  /** Whether {@code error}, or one of its causes, says the device has no space left. */
  public static boolean causedBy(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null && (message.toLowerCase(Locale.ROOT).contains("no space left on device")
          || message.toLowerCase(Locale.ROOT).contains("disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
