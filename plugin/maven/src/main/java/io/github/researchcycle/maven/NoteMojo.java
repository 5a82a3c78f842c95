package io.github.researchcycle.maven;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.journal.Journal;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import org.apache.maven.plugin.AbstractMojo;
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
public class NoteMojo extends AbstractMojo {
  /** The research repository: the project's base directory. */
  @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
  private File basedir;

  /**
   * The note's text (Markdown).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.MESSAGE)
  private String message;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    try {
      Journal.append(basedir.toPath(), message, Clock.systemUTC());
    } catch (ResearchException e) {
      throw Failures.refused(e);
    } catch (IOException e) {
      throw Failures.unexpected(e);
    }
    getLog().info("Noted in " + Journal.FILE + ".");
  }
}
