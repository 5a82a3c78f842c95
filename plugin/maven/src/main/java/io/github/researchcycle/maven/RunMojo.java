package io.github.researchcycle.maven;

import io.github.researchcycle.core.config.ExperimentResolver;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.run.RunOutcome;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.core.run.RunService;
import io.github.researchcycle.core.store.RunStatus;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
 * Runs one experiment of the research repository, once per seed, each as a run record under
 * {@code runs/RUN_ID/} with its resolved config, git provenance, environment and metrics. Compiles
 * the project first, then forks a JVM for the experiment's training class.
 *
 * @since 0.1.0
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class RunMojo extends ResearchMojo {
  /** The Maven project (its runtime classpath is the training classpath). */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /**
   * The experiment to run: the name of a file under {@code experiments/} without {@code .yaml}.
   * Default: {@code smoke}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.EXPERIMENT)
  private String experiment;

  /**
   * The launch profile: the name of a file under {@code launch/} without {@code .yaml}. Default:
   * {@code local}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PROFILE)
  private String profile;

  /**
   * Overrides of config keys, {@code key=value} separated by commas, for example
   * {@code optimizer.lr=0.003,model.hidden=256}. Only keys the experiment declares, with values of
   * the declared type.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SET)
  private String set;

  /**
   * The seed of the first run. Default: 1.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SEED)
  private Long seed;

  /**
   * How many runs to start, with consecutive seeds from {@code research.seed}. Default: 1.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SEEDS)
  private Integer seeds;

  /**
   * Allow a run of an experiment other than {@code smoke} on uncommitted changes. The run is
   * recorded as dirty, with a hash of the diff, and cannot back a published claim.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.ALLOW_DIRTY, defaultValue = "false")
  private boolean allowDirty;

  /**
   * The id of a crashed, interrupted or failed run to continue from its last checkpoint, into the
   * same record.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.RESUME)
  private String resume;

  /**
   * How the experiment's data set is checked before training: {@code fast} trusts a file whose size
   * and mtime are unchanged since its last full check, {@code full} hashes every file.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_VERIFY, defaultValue = "fast")
  private String dataVerify;

  /**
   * Skip this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
  private boolean skip;

  /** This plugin's version, recorded with each launch. */
  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  private String pluginVersion;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("research:run skipped (" + PropertyNames.SKIP + ")");
      return;
    }
    List<Path> classpath;
    try {
      classpath = project.getRuntimeClasspathElements().stream().map(Path::of).toList();
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the project's runtime classpath is not resolved", e);
    }
    RunRequest request = new RunRequest(project.getBasedir().toPath(), experiment, profile,
        ExperimentResolver.splitOverrides(set), seed, seeds, allowDirty, resume, classpath, pluginVersion,
        core(() -> DataService.fullCheck(dataVerify)));
    List<RunOutcome> outcomes = core(() -> RunService.system().run(request, Reporters.of(getLog())));
    long unsuccessful = outcomes.stream().filter(o -> o.record().status() != RunStatus.FINISHED).count();
    for (RunOutcome o : outcomes) {
      String line = summary(o, project.getBasedir().toPath());
      if (o.record().status() == RunStatus.FINISHED) {
        getLog().info(line);
      } else {
        getLog().warn(line);
      }
    }
    if (unsuccessful > 0) {
      throw new MojoFailureException(unsuccessful + " of " + outcomes.size() + " runs did not finish; their records "
          + "are kept under runs/. See each run's output.log; resume one with -D" + PropertyNames.RESUME + "=RUN_ID.");
    }
  }

  static String summary(RunOutcome o, Path root) {
    var r = o.record();
    String metric = o.metric() == null ? "no metric logged"
        : o.metric() + " = " + String.format(Locale.ROOT, "%.4f", o.value());
    return "Run " + r.id() + " " + r.status().json() + (r.reason() == null ? "" : " (" + r.reason() + ")")
        + " in " + String.format(Locale.ROOT, "%.1f s", r.durationSeconds() == null ? 0 : r.durationSeconds())
        + ": " + metric + ". Record: " + root.relativize(o.dir().resolve("run.json")).toString().replace(File.separatorChar, '/');
  }
}
