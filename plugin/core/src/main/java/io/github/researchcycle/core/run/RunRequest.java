package io.github.researchcycle.core.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code research:run} was asked to do. Null fields mean "the core's default".
 *
 * @param projectDir the research repository (or research folder inside a larger git repository)
 * @param experiment the experiment name; default {@value #DEFAULT_EXPERIMENT}
 * @param profile the launch profile name; default {@value #DEFAULT_PROFILE}
 * @param overrides {@code key=value} overrides, in order
 * @param seed the first seed; default 1
 * @param seeds how many seeds (runs) to start; default 1
 * @param allowDirty whether to run on uncommitted changes (the runs are marked dirty)
 * @param resume the id of a run to continue from its last checkpoint, or null
 * @param classpath the training process's classpath (the project's runtime classpath)
 * @param pluginVersion the version of the plugin, recorded with the launch
 * @param fullDataCheck whether to hash every file of the experiment's data set before training, rather
 *     than trust the size, mtime and sha256 recorded by the last full check
 * @param waitForEnd whether to follow scheduled runs to their end; default true
 * @param dryRun whether to write the launch files (script, manifest) only, and submit nothing
 * @param parallel how many runs go at once; default the profile's {@code parallel}
 */
public record RunRequest(
    Path projectDir,
    String experiment,
    String profile,
    List<String> overrides,
    Long seed,
    Integer seeds,
    boolean allowDirty,
    String resume,
    List<Path> classpath,
    String pluginVersion,
    boolean fullDataCheck,
    Boolean waitForEnd,
    boolean dryRun,
    Integer parallel) {

  /** The experiment every generated repository has, and the default. */
  public static final String DEFAULT_EXPERIMENT = "smoke";
  /** The default launch profile. */
  public static final String DEFAULT_PROFILE = "local";

  /** The experiment, defaulted. */
  public String experimentOrDefault() {
    return experiment == null || experiment.isBlank() ? DEFAULT_EXPERIMENT : experiment;
  }

  /** The profile, defaulted. */
  public String profileOrDefault() {
    return profile == null || profile.isBlank() ? DEFAULT_PROFILE : profile;
  }

  /** The first seed, defaulted. */
  public long seedOrDefault() {
    return seed == null ? 1 : seed;
  }

  /** Whether to follow scheduled runs to their end, defaulted. */
  public boolean waitOrDefault() {
    return waitForEnd == null || waitForEnd;
  }

  /** This request for another experiment with other overrides (sweeps, lr-find). */
  public RunRequest with(String newExperiment, List<String> newOverrides) {
    return new RunRequest(projectDir, newExperiment, profile, newOverrides, seed, seeds, allowDirty, resume, classpath,
        pluginVersion, fullDataCheck, waitForEnd, dryRun, parallel);
  }

  /** The number of seeds, defaulted. */
  public int seedsOrDefault() {
    return seeds == null ? 1 : seeds;
  }
}
