package io.github.researchcycle.maven;

import io.github.researchcycle.core.publish.ReproduceService;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * A reader's one command in an unpacked reproduction bundle: re-runs the recorded runs with their
 * configs and seeds and prints the recorded and reproduced numbers side by side. Needs no git.
 *
 * @since 0.1.0
 */
@Mojo(name = "reproduce", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class ReproduceMojo extends ResearchMojo {
  /** The Maven project (its runtime classpath is the training classpath). */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /**
   * Only the runs of these experiments (comma-separated), for example {@code smoke} for a check in
   * seconds. Default: the runs the published claim used.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SUBSET)
  private String subset;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    List<Path> classpath;
    try {
      classpath = project.getRuntimeClasspathElements().stream().map(Path::of).toList();
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the project's runtime classpath is not resolved", e);
    }
    Set<String> experiments = subset == null || subset.isBlank() ? null
        : Arrays.stream(subset.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    List<ReproduceService.Row> rows = core(() ->
        new ReproduceService(Clock.systemUTC()).reproduce(root(), experiments, classpath, Reporters.of(getLog())));
    ReproduceService.lines(rows).forEach(getLog()::info);
    long differ = rows.stream().filter(r -> !r.comparison().passed()).count();
    if (differ > 0) {
      throw new MojoFailureException(differ + " of " + rows.size() + " runs did not reproduce their recorded numbers;"
          + " the re-runs are under target/reproduce/.");
    }
  }
}
