package io.github.researchcycle.core.stats;

import static io.github.researchcycle.core.stats.Samples.num;
import static io.github.researchcycle.core.stats.Samples.percent;

import java.util.Locale;

/**
 * A reproduction judged against the paper's number: the t interval of the mean over seeds (kept inside
 * the metric's range) against the band reported ± tolerance. Inside the band: reproduced (an equivalence
 * test, two one-sided tests at (1 - level)/2 each); wholly outside: not reproduced; otherwise
 * inconclusive.
 */
public final class Reproduce {
  private Reproduce() {}

  /** Where the interval lies against the band. */
  public enum Band {
    /** The whole interval lies inside reported ± tolerance (ends included). */
    INSIDE,
    /** The whole interval lies below the band. */
    BELOW,
    /** The whole interval lies above the band. */
    ABOVE,
    /** The interval reaches outside the band on one side or both. */
    STRADDLES
  }

  /**
   * The judgement.
   *
   * @param test the one-sample t-test of the mean against the reported value, with the interval
   * @param reported the paper's value
   * @param tolerance how far ours may lie from it
   * @param band where the interval lies against reported ± tolerance
   * @param rule one sentence for the writeup
   */
  public record Result(TestResult test, double reported, double tolerance, Band band, String rule) {}

  /**
   * Judges {@code values} (one per seed) against {@code reported} ± {@code tolerance}.
   *
   * @throws IllegalArgumentException with fewer than two values or a negative tolerance
   */
  public static Result check(double[] values, double reported, double tolerance, double level, Bounds bounds) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("a tolerance is at least 0, not " + tolerance);
    }
    TestResult t = TTests.oneSample(values, reported, Alternative.TWO_SIDED, level, bounds);
    double low = reported - tolerance;
    double high = reported + tolerance;
    Interval ci = t.interval();
    Band band = ci.low() >= low && ci.high() <= high ? Band.INSIDE
        : ci.high() < low ? Band.BELOW
        : ci.low() > high ? Band.ABOVE
        : Band.STRADDLES;
    String rule = String.format(Locale.ROOT, "the %s t interval of the mean over %d seeds%s against the reported "
        + "%s ± %s: reproduced when it lies inside the band, not reproduced when it lies wholly outside, "
        + "inconclusive otherwise", percent(level), values.length, t.zeroVariance() ? " (zero variance: every seed "
        + "gave the same value, so the interval is the mean itself)" : ci.clipped() ? " (clipped to the metric's "
        + "range)" : "", num(reported), num(tolerance));
    return new Result(t, reported, tolerance, band, rule);
  }
}
