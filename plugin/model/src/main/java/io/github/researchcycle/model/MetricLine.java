package io.github.researchcycle.model;

/**
 * One line of {@code metrics.jsonl}.
 *
 * @param step the global training step (batches seen), or the epoch for per-epoch values
 * @param epoch the epoch, -1 when not applicable
 * @param name the metric's name, for example {@code loss} or {@code validate_accuracy}
 * @param value the value (NaN and infinities are kept)
 * @param time Unix time in milliseconds
 */
public record MetricLine(long step, int epoch, String name, double value, long time) {}
