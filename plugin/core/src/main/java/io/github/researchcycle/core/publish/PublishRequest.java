package io.github.researchcycle.core.publish;

import java.nio.file.Path;

/**
 * What {@code research:publish} was asked to do.
 *
 * @param projectDir the research repository
 * @param updateReadme rewrite the README's results table (between its markers) instead of refusing a stale one
 * @param name the tag prefix; default: the research folder's name
 * @param pluginVersion recorded in results.json
 */
public record PublishRequest(Path projectDir, boolean updateReadme, String name, String pluginVersion) {}
