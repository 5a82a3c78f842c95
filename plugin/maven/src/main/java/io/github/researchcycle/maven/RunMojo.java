package io.github.researchcycle.maven;

import io.github.researchcycle.core.run.RunOutcome;
import io.github.researchcycle.core.run.RunService;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs one experiment of the research repository, once per seed, each as a run record under
 * {@code runs/RUN_ID/} with its resolved config, git provenance, environment and metrics. Compiles
 * the project first, then starts the experiment's training class on the profile's target: a
 * forked JVM here, a Slurm job (an array for several seeds), a Kubernetes Job or a TPU VM.
 *
 * @since 0.1.0
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class RunMojo extends LaunchingMojo {
  /**
   * The id of a crashed, interrupted or failed run to continue from its last checkpoint, into the
   * same record.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.RESUME)
  private String resume;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipped("run")) {
      return;
    }
    var request = request(resume);
    List<RunOutcome> outcomes = core(() -> RunService.system().run(request, Reporters.of(getLog())));
    report(outcomes);
  }
}
