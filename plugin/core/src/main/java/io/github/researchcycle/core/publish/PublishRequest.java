package io.github.researchcycle.core.publish;

import java.nio.file.Path;

/**
 * What {@code research:publish} was asked to do.
 *
 * @param projectDir the research repository
 * @param updateReadme rewrite the README's results table (between its markers) instead of refusing a stale one
 * @param name the tag prefix; default: the research folder's name
 * @param pluginVersion recorded in results.json
 * @param copyTo a folder of the research repository (relative to it) that receives a copy of the rendering
 *     (post.md, report.html, results.json, figures/) to be committed; null or blank for none. With
 *     {@code check}: the folder to compare, default {@value PublishService#DEFAULT_KEEP}
 * @param check render again from the run records and compare with the kept rendering and the README
 *     table, without tagging, bundling or changing a file
 * @param bundleData copy the files of data sets kept outside the repository into the bundle, when
 *     their manifest's licence allows redistribution
 */
public record PublishRequest(Path projectDir, boolean updateReadme, String name, String pluginVersion, String copyTo,
    boolean check, boolean bundleData) {

  /** A request that does not put outside data into the bundle. */
  public PublishRequest(Path projectDir, boolean updateReadme, String name, String pluginVersion, String copyTo,
      boolean check) {
    this(projectDir, updateReadme, name, pluginVersion, copyTo, check, false);
  }

  /** A publication without a kept copy. */
  public PublishRequest(Path projectDir, boolean updateReadme, String name, String pluginVersion) {
    this(projectDir, updateReadme, name, pluginVersion, null, false, false);
  }
}
