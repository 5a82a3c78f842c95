package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.cycle.Verdict;
import java.nio.file.Path;

/**
 * What {@code research:publish} produced.
 *
 * @param tag the annotated tag's name
 * @param tagCreated false when the commit was already published under that tag
 * @param commit the published commit
 * @param dir the output folder ({@code target/publish})
 * @param bundle the reproduction bundle
 * @param verdict the verdict of the pre-registered claim
 * @param reason the verdict in one sentence with its numbers
 */
public record Publication(String tag, boolean tagCreated, String commit, Path dir, Path bundle, Verdict verdict,
    String reason) {}
