package io.github.researchcycle.maven;

import io.github.researchcycle.core.cycle.StatusService;
import io.github.researchcycle.core.run.RunService;
import java.time.Clock;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints where the research stands: the stage (derived from the repository, never set by hand),
 * the next gate and the command that passes it, the runs per experiment, the claim as judged from
 * the run records, whether the claim changed after its pre-registration, and the time spent against
 * the estimate. Runs whose process vanished are marked crashed.
 *
 * @since 0.1.0
 */
@Mojo(name = "status", threadSafe = true, requiresProject = true)
public class StatusMojo extends ResearchMojo {
  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    StatusService.Report report = core(() ->
        new StatusService(RunService.system(), Clock.systemUTC(), RunService.hostName()).report(root()));
    report.reconciled().forEach(getLog()::warn);
    for (String line : report.lines()) {
      if (line.startsWith("WARNING: ")) {
        getLog().warn(line.substring("WARNING: ".length()));
      } else {
        getLog().info(line);
      }
    }
  }
}
