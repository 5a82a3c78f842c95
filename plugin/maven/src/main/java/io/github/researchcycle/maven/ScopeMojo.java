package io.github.researchcycle.maven;

import io.github.researchcycle.core.cycle.Scope;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints the project's risk score with each factor, declared in research.yaml or inferred from the
 * repository: a new data set +2, data beyond one machine's memory +1, a paper with no code +1, a
 * model off the library's structure +1, several GPUs +1, a cluster +3; and a warning above the
 * threshold.
 *
 * @since 0.1.0
 */
@Mojo(name = "scope", threadSafe = true, requiresProject = true)
public class ScopeMojo extends ResearchMojo {
  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Scope.Score score = core(() -> Scope.score(root(), DescriptorLoader.load(root())));
    getLog().info("Scope score: " + score.score());
    for (Scope.Factor f : score.factors()) {
      getLog().info(String.format(Locale.ROOT, "  %s %-36s %s", f.present() ? "+" + f.points() : "  ", f.name(), f.how()));
    }
    if (score.warn()) {
      getLog().warn("A score of " + score.score() + " (" + Scope.WARN_AT + " or more) is a large project for one "
          + "person: expect it to take several times the estimate, or cut a factor (a known data set, a smaller model, "
          + "one machine).");
    }
  }
}
