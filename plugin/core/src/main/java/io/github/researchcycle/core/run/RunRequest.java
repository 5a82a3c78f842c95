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
    boolean fullDataCheck) {

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

  /** The number of seeds, defaulted. */
  public int seedsOrDefault() {
    return seeds == null ? 1 : seeds;
  }
}
