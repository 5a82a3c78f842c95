package io.github.researchcycle.core.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An experiment's fully resolved configuration: what is recorded in {@code run.json} and hashed.
 *
 * @param experiment the experiment's name (its file name without {@code .yaml})
 * @param values the merged tree, {@code extends} removed, overrides applied
 * @param hash {@code sha256:} of the canonical JSON of {@code values}
 * @param sources the files merged, the experiment's own first
 * @param overrides the {@code key=value} overrides applied, in order
 * @param mainClass the training entry point named by the {@code main} key
 */
public record ResolvedConfig(
    String experiment,
    ObjectNode values,
    String hash,
    List<String> sources,
    List<String> overrides,
    String mainClass) {}
