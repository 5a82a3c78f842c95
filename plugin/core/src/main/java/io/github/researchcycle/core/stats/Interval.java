package io.github.researchcycle.core.stats;

/**
 * A confidence interval.
 *
 * @param low its lower end (NaN when there is none)
 * @param high its upper end
 * @param level its confidence level, e.g. 0.95
 * @param method how it was made, e.g. "Student's t", "bootstrap percentile"
 * @param clipped whether an end was moved onto the range the quantity can take (an accuracy above 1)
 */
public record Interval(double low, double high, double level, String method, boolean clipped) {
  /** No interval: the test gives none (McNemar's), or there are too few values. */
  public static Interval none(double level, String why) {
    return new Interval(Double.NaN, Double.NaN, level, why, false);
  }

  /** Whether the interval has two finite ends. */
  public boolean exists() {
    return !Double.isNaN(low) && !Double.isNaN(high);
  }

  /** Whether the whole interval lies strictly above {@code value}. */
  public boolean above(double value) {
    return exists() && low > value;
  }

  /** Whether the whole interval lies strictly below {@code value}. */
  public boolean below(double value) {
    return exists() && high < value;
  }
}
