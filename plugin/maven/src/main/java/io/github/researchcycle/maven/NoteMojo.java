package io.github.researchcycle.maven;

import io.github.researchcycle.core.journal.Journal;
import java.time.Clock;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Appends a dated note, stamped with the current commit, to {@code writeup/journal.md}: what was
 * tried, what broke, what was learned.
 *
 * @since 0.1.0
 */
@Mojo(name = "note", threadSafe = true, requiresProject = true)
public class NoteMojo extends ResearchMojo {
  /**
   * The note's text (Markdown).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.MESSAGE)
  private String message;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    core(() -> Journal.append(root(), message, Clock.systemUTC()));
    getLog().info("Noted in " + Journal.FILE + ".");
  }
}
