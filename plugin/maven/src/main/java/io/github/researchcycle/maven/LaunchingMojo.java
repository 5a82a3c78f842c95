package io.github.researchcycle.maven;

import io.github.researchcycle.core.config.ExperimentResolver;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.run.RunOutcome;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.model.RunStatus;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What the goals that start runs share: the experiment, profile, overrides, seeds and launch options. */
abstract class LaunchingMojo extends ResearchMojo {
  /** The Maven project (its runtime classpath is the training classpath). */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /**
   * The experiment to run: the name of a file under {@code experiments/} without {@code .yaml}.
   * Default: {@code smoke}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.EXPERIMENT)
  String experiment;

  /**
   * The launch profile: the name of a file under {@code launch/} without {@code .yaml}. Default:
   * {@code local}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PROFILE)
  String profile;

  /**
   * Overrides of config keys, {@code key=value} separated by commas, for example
   * {@code optimizer.lr=0.003,model.hidden=256}. Only keys the experiment declares, with values of
   * the declared type.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SET)
  String set;

  /**
   * The seed of the first run. Default: 1.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SEED)
  Long seed;

  /**
   * How many runs to start, with consecutive seeds from {@code research.seed}. Default: 1.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SEEDS)
  Integer seeds;

  /**
   * Allow a run of an experiment other than {@code smoke} on uncommitted changes. The run is
   * recorded as dirty, with a hash of the diff, and cannot back a published claim.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.ALLOW_DIRTY, defaultValue = "false")
  boolean allowDirty;


  /**
   * How the experiment's data set is checked before training: {@code fast} trusts a file whose size
   * and mtime are unchanged since its last full check, {@code full} hashes every file.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_VERIFY, defaultValue = "fast")
  String dataVerify;

  /**
   * Skip this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
  boolean skip;

  /** This plugin's version, recorded with each launch. */
  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  String pluginVersion;


  /**
   * Whether to follow runs on a scheduler (Slurm, Kubernetes) to their end, streaming their log.
   * With {@code false} the goal returns once the jobs are submitted, and {@code research:status}
   * records how they ended.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.WAIT, defaultValue = "true")
  boolean waitForEnd;

  /**
   * Write the launch files (sbatch script, Kubernetes manifest, TPU VM scripts) into the run
   * folders and submit nothing.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DRY_RUN, defaultValue = "false")
  boolean dryRun;

  /**
   * How many runs go at once: local training processes, or the tasks of a Slurm array running
   * together. Default: the profile's {@code parallel}, else 1.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.PARALLEL)
  Integer parallel;

  /** The request these parameters make, with {@code resume} (or null). */
  RunRequest request(String resume) throws MojoExecutionException, MojoFailureException {
    List<Path> classpath;
    try {
      classpath = project.getRuntimeClasspathElements().stream().map(Path::of).toList();
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the project's runtime classpath is not resolved", e);
    }
    return new RunRequest(project.getBasedir().toPath(), experiment, profile,
        ExperimentResolver.splitOverrides(set), seed, seeds, allowDirty, resume, classpath, pluginVersion,
        core(() -> DataService.fullCheck(dataVerify)), waitForEnd, dryRun, parallel);
  }

  /** Whether the goal is skipped (and says so). */
  boolean skipped(String goal) {
    if (skip) {
      getLog().info("research:" + goal + " skipped (" + PropertyNames.SKIP + ")");
    }
    return skip;
  }

  /**
   * Prints one line per run; fails when a run ended without finishing. Queued or running runs
   * (not followed to their end) are listed with the command that follows them.
   */
  void report(List<RunOutcome> outcomes) throws MojoFailureException {
    long unsuccessful = outcomes.stream()
        .filter(o -> o.record().status() != RunStatus.FINISHED && !o.record().status().active()).count();
    long active = outcomes.stream().filter(o -> o.record().status().active()).count();
    for (RunOutcome o : outcomes) {
      String line = summary(o, project.getBasedir().toPath());
      if (o.record().status() == RunStatus.FINISHED || o.record().status().active()) {
        getLog().info(line);
      } else {
        getLog().warn(line);
      }
    }
    if (active > 0) {
      getLog().info(active + " of " + outcomes.size() + " runs are " + (dryRun ? "written, not submitted (dry run)"
          : "submitted and not followed to their end") + ". mvn research:status records how they end.");
    }
    if (unsuccessful > 0) {
      throw new MojoFailureException(unsuccessful + " of " + outcomes.size() + " runs did not finish; their records "
          + "are kept under runs/. See each run's output.log; resume one with -D" + PropertyNames.RESUME + "=RUN_ID.");
    }
  }

  static String summary(RunOutcome o, Path root) {
    var r = o.record();
    String record = "Record: " + root.relativize(o.dir().resolve("run.json")).toString().replace(File.separatorChar, '/');
    if (r.status().active()) {
      return "Run " + r.id() + " " + r.status().json()
          + (r.launcher() != null && r.launcher().jobId() != null ? " as job " + r.launcher().jobId()
              + (r.launcher().arrayTask() == null ? "" : "_" + r.launcher().arrayTask()) : "") + ". " + record;
    }
    String metric = !r.isExperimentRun() ? "a " + r.purpose() + " run" : o.metric() == null ? "no metric logged"
        : o.metric() + " = " + String.format(Locale.ROOT, "%.4f", o.value());
    return "Run " + r.id() + " " + r.status().json() + (r.reason() == null ? "" : " (" + r.reason() + ")")
        + " in " + String.format(Locale.ROOT, "%.1f s", r.durationSeconds() == null ? 0 : r.durationSeconds())
        + ": " + metric + ". " + record;
  }
}
