package io.github.researchcycle.maven;

import io.github.researchcycle.core.lrfind.LrFindService;
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
 * The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks",
 * 2017): a short run of the experiment, recorded like any run but never counted towards a claim,
 * whose learning rate grows exponentially from {@code research.lrFind.min} to
 * {@code research.lrFind.max}. Prints the loss against the rate, plots it into the run folder
 * ({@code lr-find.svg}, {@code lr-find.png}) and suggests a rate. The training class must take its
 * optimizer's rate from {@code run.learningRate(...)}, as the generated one does.
 *
 * @since 0.1.0
 */
@Mojo(name = "lr-find", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class LrFindMojo extends LaunchingMojo {
  /**
   * The first learning rate of the test.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.LR_FIND_MIN, defaultValue = "1e-6")
  private double min;

  /**
   * The last learning rate of the test (it stops earlier once the loss diverges).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.LR_FIND_MAX, defaultValue = "10")
  private double max;

  /**
   * The optimizer steps of the test (batches; it runs over as many epochs as that takes).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.LR_FIND_STEPS, defaultValue = "100")
  private int steps;

  /**
   * The config key of the experiment's learning rate, named in the suggestion.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.LR_KEY, defaultValue = "optimizer.lr")
  private String lrKey;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipped("lr-find")) {
      return;
    }
    var request = request(null);
    LrFindService.Result result = core(() -> new LrFindService(RunService.system())
        .find(request, new LrFindService.Settings(min, max, steps), lrKey, Reporters.of(getLog())));
    for (String line : result.lines()) {
      getLog().info(line);
    }
    if (result.plot() != null) {
      getLog().info("Plot: " + root().relativize(result.plot().svg()) + " (and .png); summary: "
          + root().relativize(result.outcome().dir().resolve(LrFindService.SUMMARY)));
    }
    report(List.of(result.outcome()));
  }
}
