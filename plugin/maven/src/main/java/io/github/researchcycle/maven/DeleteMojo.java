package io.github.researchcycle.maven;

import io.github.researchcycle.core.ledger.RunDeletion;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.time.Clock;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deletes a run the one honest way: the ledger records the run and the reason first, then its
 * folder is removed. The writeup lists it as deleted, with the reason; a run folder removed any
 * other way is refused at publish.
 *
 * @since 0.2.0
 */
@Mojo(name = "delete", threadSafe = true, requiresProject = true)
public class DeleteMojo extends ResearchMojo {
  /**
   * The id of the run to delete.
   *
   * @since 0.2.0
   */
  @Parameter(property = PropertyNames.RUN)
  private String run;

  /**
   * Why the run does not count, in your words; the ledger and the writeup show it.
   *
   * @since 0.2.0
   */
  @Parameter(property = PropertyNames.REASON)
  private String reason;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    LedgerEvent.RunDeleted deleted = core(() -> new RunDeletion(Clock.systemUTC()).delete(root(), run, reason));
    getLog().info("Deleted run " + deleted.run() + " (" + deleted.experiment() + ", seed " + deleted.seed() + ", "
        + deleted.status() + "): \"" + deleted.reason() + "\" is in the ledger. Commit both: git add -A runs "
        + ".research && git commit -m \"Delete run " + deleted.run() + "\"");
  }
}
