package io.github.researchcycle.maven;

import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.sweep.SweepService;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs one experiment over a grid of config values times seeds, each point an ordinary run record
 * (with its sweep and point). Points that already finished with the same resolved config, seed and
 * code are skipped, so running the same sweep again resumes it. Locally the runs go in sequence,
 * or {@code research.parallel} at a time; on a Slurm profile they go out as one job array. Prints
 * the points, best first.
 *
 * @since 0.1.0
 */
@Mojo(name = "sweep", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class SweepMojo extends LaunchingMojo {
  /**
   * The grid: config keys separated by {@code ;}, each with values separated by {@code ,}, for
   * example {@code optimizer.lr=0.001,0.003;model.hidden=64,128} (four points). Required.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.GRID)
  private String grid;

  /**
   * The sweep's name, recorded with each of its runs. Default: the experiment and a hash of the grid.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.NAME)
  private String name;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipped("sweep")) {
      return;
    }
    var request = request(null);
    SweepService.Result result = core(() -> new SweepService(RunService.system())
        .sweep(request, grid, name, Reporters.of(getLog())));
    getLog().info("Sweep " + result.name() + " (" + result.grid().canonical() + "), best first:");
    for (String line : SweepService.table(result)) {
      getLog().info("  " + line);
    }
    report(result.launched());
  }
}
