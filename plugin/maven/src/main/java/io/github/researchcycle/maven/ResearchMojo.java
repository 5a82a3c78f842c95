package io.github.researchcycle.maven;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.ledger.LedgerException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What every goal shares: the research repository, and one call to the core with typed errors. */
abstract class ResearchMojo extends AbstractMojo {
  /** The research repository: the project's base directory. */
  @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
  private File basedir;

  /** The research repository. */
  Path root() {
    return basedir.toPath();
  }

  /** One call to the core. */
  @FunctionalInterface
  interface CoreCall<T> {
    /** Calls the core. */
    T call() throws IOException;
  }

  /**
   * Calls the core, turning a refusal or user error into {@link MojoFailureException} (its message
   * names the file and the fix) and an I/O problem into {@link MojoExecutionException}.
   */
  <T> T core(CoreCall<T> call) throws MojoExecutionException, MojoFailureException {
    try {
      return call.call();
    } catch (ResearchException e) {
      throw Failures.refused(e);
    } catch (LedgerException e) {
      // A ledger line edited by hand: the message names the file, the line and the fix.
      throw new MojoFailureException(e.getMessage());
    } catch (IOException e) {
      throw Failures.unexpected(e);
    }
  }
}
