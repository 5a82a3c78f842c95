package io.github.researchcycle.core.launch.slurm;

import java.io.IOException;

/** A Slurm command refused or failed; the message carries Slurm's own words. */
public class SlurmException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with Slurm's message. */
  public SlurmException(String message) {
    super(message);
  }
}
