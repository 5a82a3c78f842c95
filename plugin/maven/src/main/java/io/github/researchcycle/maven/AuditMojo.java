package io.github.researchcycle.maven;

import io.github.researchcycle.core.ledger.Audit;
import io.github.researchcycle.core.run.RunService;
import java.time.Clock;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Audits the research record: replays the ledger ({@code .research/ledger.jsonl}) against the run
 * folders, the claim's history in git and the publication tags, and prints one line when all agree
 * or each disagreement by name (and fails). Works in a clone or in an unpacked bundle, offline.
 *
 * @since 0.2.0
 */
@Mojo(name = "audit", threadSafe = true, requiresProject = true)
public class AuditMojo extends ResearchMojo {
  /**
   * Enter run folders made before the ledger existed (and the publication the kept rendering
   * names) into the ledger, as entries that say they were made after the fact.
   *
   * @since 0.2.0
   */
  @Parameter(property = PropertyNames.AUDIT_ADOPT, defaultValue = "false")
  private boolean adopt;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    RunService runs = RunService.system();
    Audit audit = new Audit(Clock.systemUTC());
    if (adopt) {
      List<String> entered = core(() -> audit.adopt(root(), runs.store(root()),
          "recorded before the ledger existed; entered after the fact with its files as they were then"));
      getLog().info(entered.isEmpty() ? "Nothing to enter: every run folder is in the ledger."
          : "Entered into the ledger: " + String.join(", ", entered) + ". Commit it: git add .research && git commit");
    }
    Audit.Result result = core(() -> audit.audit(root(), runs.store(root())));
    result.notes().forEach(n -> getLog().info("Note: " + n));
    if (!result.agrees()) {
      result.disagreements().forEach(getLog()::error);
      throw new MojoFailureException("Audit: " + result.disagreements().size() + " disagreement(s) between the ledger,"
          + " the run folders, the claim history and the tags (listed above); " + result.summary() + ".");
    }
    getLog().info("Audit: all agree: " + result.summary() + ".");
  }
}
