package io.github.researchcycle.core.stats;

import java.util.Locale;
import java.util.Set;

/**
 * The range a metric can take, so that an interval of its mean never claims values the metric cannot
 * have (an accuracy of 1.02). Unbounded unless the metric is known to be a proportion.
 *
 * @param low the smallest possible value
 * @param high the largest possible value
 */
public record Bounds(double low, double high) {
  /** No bounds. */
  public static final Bounds NONE = new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  /** A proportion: accuracy, precision, recall, F1, AUC. */
  public static final Bounds UNIT = new Bounds(0, 1);

  private static final Set<String> PROPORTIONS = Set.of("accuracy", "acc", "precision", "recall", "f1", "auc",
      "auroc", "iou", "miou", "dice", "top1", "top5");

  /**
   * The bounds of a metric by its name: [0, 1] when a word of the name ({@code test_accuracy},
   * {@code val-f1}) names a proportion and every observed value lies in [0, 1] (an accuracy logged in
   * percent stays unbounded); none otherwise.
   */
  public static Bounds ofMetric(String name, double[]... observed) {
    boolean proportion = false;
    for (String word : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      proportion |= PROPORTIONS.contains(word);
    }
    if (!proportion) {
      return NONE;
    }
    for (double[] values : observed) {
      for (double v : values) {
        if (!(v >= 0 && v <= 1)) {
          return NONE;
        }
      }
    }
    return UNIT;
  }

  /** The range of a difference of two values within these bounds ([-1, 1] for proportions). */
  public Bounds difference() {
    return new Bounds(low - high, high - low);
  }

  /** {@code interval} with its ends moved inside these bounds, flagged as clipped when one moved. */
  public Interval clip(Interval interval) {
    if (!interval.exists()) {
      return interval;
    }
    double lo = Math.max(low, Math.min(high, interval.low()));
    double hi = Math.max(low, Math.min(high, interval.high()));
    boolean moved = lo != interval.low() || hi != interval.high();
    return moved ? new Interval(lo, hi, interval.level(), interval.method(), true) : interval;
  }
}
