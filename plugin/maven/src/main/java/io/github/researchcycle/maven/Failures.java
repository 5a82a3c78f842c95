package io.github.researchcycle.maven;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/** Turns the core's typed exceptions into Maven's: a refusal or user error, or the unexpected. */
final class Failures {
  private Failures() {}

  /**
   * A gate or a user error: MojoFailureException with the core's message, which names the file,
   * the key and the fix. The cause is left out on purpose: Maven would print its message too, and
   * the user's message is one line (run with -X to see where it came from, in the debug log).
   */
  static MojoFailureException refused(ResearchException e) {
    return new MojoFailureException(e.getMessage());
  }

  /** The unexpected: I/O and other problems the user did not cause. */
  static MojoExecutionException unexpected(IOException e) {
    return new MojoExecutionException("I/O error: " + e.getMessage(), e);
  }
}
