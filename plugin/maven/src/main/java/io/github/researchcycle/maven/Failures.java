package io.github.researchcycle.maven;

import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/** Turns the core's typed exceptions into Maven's: a refusal or user error, or the unexpected. */
final class Failures {
  private Failures() {}

  /** A gate or a user error: MojoFailureException with the core's message, which names the fix. */
  static MojoFailureException refused(ResearchException e) {
    MojoFailureException failure = new MojoFailureException(e.getMessage());
    if (!(e instanceof GateException) && e.getCause() != null) {
      failure.initCause(e.getCause());
    }
    return failure;
  }

  /** The unexpected: I/O and other problems the user did not cause. */
  static MojoExecutionException unexpected(IOException e) {
    return new MojoExecutionException("I/O error: " + e.getMessage(), e);
  }
}
