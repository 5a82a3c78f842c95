package io.github.researchcycle.core.run;

import io.github.researchcycle.model.RunRecord;
import java.nio.file.Path;

/**
 * One run as it ended.
 *
 * @param record the final record
 * @param dir the run folder
 * @param metric the name of the headline metric, or null when none was logged
 * @param value its final value, or null
 */
public record RunOutcome(RunRecord record, Path dir, String metric, Double value) {}
