package io.github.researchcycle.maven;

import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.verify.Verification;
import io.github.researchcycle.core.verify.VerifyRequest;
import io.github.researchcycle.core.verify.VerifyService;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Re-runs a recorded run from its commit (a temporary checkout, built offline), its resolved config
 * and its seed, and compares every final metric with the record: bit-identical on the CPU, or
 * within {@code research.tolerance}. The verification is recorded next to the run
 * ({@code runs/RUN_ID/verification.json}).
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", threadSafe = true, requiresProject = true)
public class VerifyMojo extends ResearchMojo {
  /** The local repository the checkout is built with, offline. */
  @Parameter(defaultValue = "${settings.localRepository}", readonly = true)
  private File localRepository;

  /** This plugin's coordinates: its own classpath goal builds the checkout's classpath offline. */
  @Parameter(defaultValue = "${plugin.groupId}:${plugin.artifactId}:${plugin.version}", readonly = true)
  private String pluginCoordinates;

  /**
   * The run to verify. Default: the newest finished run of the method experiment from a clean tree.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.RUN)
  private String run;

  /**
   * The largest absolute difference accepted per final metric. Default: 0, bit-identical, as the
   * CPU engine gives.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.TOLERANCE)
  private Double tolerance;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    String mavenHome = System.getProperty("maven.home");
    VerifyRequest request = new VerifyRequest(root(), run, tolerance,
        mavenHome == null ? null : Path.of(mavenHome), localRepository == null ? null : localRepository.toPath(),
        pluginCoordinates + ":classpath");
    Verification v = core(() ->
        new VerifyService(RunService.system(), Clock.systemUTC()).verify(request, Reporters.of(getLog())));
    for (Verification.MetricCheck c : v.metrics()) {
      getLog().info(String.format(Locale.ROOT, "  %-20s recorded %-22s reproduced %-22s %s", c.name(), c.recorded(),
          c.reproduced(), c.identical() ? "identical" : "differs by " + c.difference()));
    }
    String where = "runs/" + v.run() + "/" + VerifyService.FILE;
    if (!v.passed()) {
      throw new MojoFailureException("Run " + v.run() + " did not reproduce: its final metrics differ beyond the "
          + "tolerance " + v.tolerance() + " (recorded in " + where + "). Look for unseeded randomness or a changed "
          + "environment; on a GPU, declare a tolerance with -D" + PropertyNames.TOLERANCE + "=….");
    }
    getLog().info("Run " + v.run() + " verified" + (v.trajectoryIdentical() ? ": every logged value bit-identical"
        : " within tolerance " + v.tolerance()) + ". Recorded in " + where + ".");
  }
}
