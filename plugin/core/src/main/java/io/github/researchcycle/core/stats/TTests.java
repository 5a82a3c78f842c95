package io.github.researchcycle.core.stats;

import static io.github.researchcycle.core.stats.Samples.num;
import static io.github.researchcycle.core.stats.Samples.percent;

import java.util.Locale;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.TTest;

/**
 * Student's t-tests over seeds or splits: paired (both arms on the same seeds), Welch's unpaired test
 * (different seeds), the one-sample test of a reproduction, and Nadeau and Bengio's corrected resampled
 * test (k-fold or repeated random splits, whose training sets overlap).
 *
 * <p>Every test takes the null value (0, or the claim's margin), the alternative and the interval's
 * level. The interval is always the two-sided one at {@code level}, whatever the alternative: a verdict
 * that asks for the 95 % interval to lie above the margin is the one-sided test at 2.5 %.
 */
public final class TTests {
  private static final String STUDENT = "Student's t";

  private TTests() {}

  /**
   * The paired t-test of mean(method - baseline) against {@code margin}; {@code method[i]} and
   * {@code baseline[i]} ran on the same seed (or split).
   *
   * @param method the method's values, one per seed
   * @param baseline the baseline's values on the same seeds, in the same order
   * @param margin the null value of the mean difference (0 for "no difference")
   * @param alternative GREATER for an {@code improve} claim: H0 mean difference ≤ margin
   * @param level the confidence level of the interval, e.g. 0.95
   * @param bounds the range of the metric (the difference's interval is kept within its range)
   * @throws IllegalArgumentException with fewer than two pairs or arrays of different lengths
   */
  public static TestResult paired(double[] method, double[] baseline, double margin, Alternative alternative,
      double level, Bounds bounds) {
    double[] d = Samples.differences(method, baseline);
    Samples.atLeast(2, d, "a paired t-test");
    Samples.level(level);
    String rule = String.format(Locale.ROOT, "paired t-test over %d shared seeds of mean(method - baseline), H0: difference %s %s "
        + "(%s), %s Student's t interval", d.length, alternative.nullRelation(), num(margin), alternative.sides(),
        percent(level));
    if (Samples.constant(d, method, baseline)) {
      return exact("paired t-test", Samples.mean(d), margin, alternative, level, d.length, bounds.difference(),
          rule);
    }
    TTest.Result r = TTest.withDefaults().with(alternative.commons()).withMu(margin).pairedTest(method, baseline);
    double mean = Samples.mean(d);
    double sd = Samples.sd(d);
    double df = d.length - 1;
    Interval ci = tInterval(mean, sd / Math.sqrt(d.length), df, level, bounds.difference());
    return new TestResult("paired t-test", "t", r.getStatistic(), df, r.getPValue(), alternative, margin, mean, sd,
        ci, d.length, false, rule);
  }

  /**
   * Welch's unequal-variance t-test of mean(method) - mean(baseline) against {@code margin}, for arms that
   * did not run on the same seeds.
   *
   * @throws IllegalArgumentException with fewer than two values in an arm
   */
  public static TestResult welch(double[] method, double[] baseline, double margin, Alternative alternative,
      double level, Bounds bounds) {
    Samples.atLeast(2, method, "Welch's t-test");
    Samples.atLeast(2, baseline, "Welch's t-test");
    Samples.level(level);
    String rule = String.format(Locale.ROOT, "Welch's t-test over %d and %d runs of mean(method) - mean(baseline), H0: difference "
        + "%s %s (%s), %s Welch interval", method.length, baseline.length, alternative.nullRelation(), num(margin),
        alternative.sides(), percent(level));
    double diff = Samples.mean(method) - Samples.mean(baseline);
    int n = Math.min(method.length, baseline.length);
    if (Samples.constant(method, method, baseline) && Samples.constant(baseline, method, baseline)) {
      return exact("Welch's t-test", diff, margin, alternative, level, n, bounds.difference(), rule);
    }
    TTest.Result r = TTest.withDefaults().with(alternative.commons()).withMu(margin).test(method, baseline);
    double va = Math.pow(Samples.sd(method), 2) / method.length;
    double vb = Math.pow(Samples.sd(baseline), 2) / baseline.length;
    double se = Math.sqrt(va + vb);
    Interval ci = tInterval(diff, se, r.getDegreesOfFreedom(), level, bounds.difference());
    return new TestResult("Welch's t-test", "t", r.getStatistic(), r.getDegreesOfFreedom(), r.getPValue(),
        alternative, margin, diff, Double.NaN, ci, n, false, rule);
  }

  /**
   * The one-sample t-test of mean(values) against {@code mu}, with the t interval of the mean kept
   * inside the metric's {@code bounds}.
   *
   * @throws IllegalArgumentException with fewer than two values
   */
  public static TestResult oneSample(double[] values, double mu, Alternative alternative, double level,
      Bounds bounds) {
    Samples.atLeast(2, values, "a one-sample t-test");
    Samples.level(level);
    String rule = String.format(Locale.ROOT, "one-sample t-test over %d seeds, H0: mean %s %s (%s), %s Student's t interval",
        values.length, alternative.nullRelation(), num(mu), alternative.sides(), percent(level));
    double mean = Samples.mean(values);
    if (Samples.constant(values, values)) {
      return exact("one-sample t-test", mean, mu, alternative, level, values.length, bounds, rule);
    }
    TTest.Result r = TTest.withDefaults().with(alternative.commons()).withMu(mu).test(values);
    double sd = Samples.sd(values);
    double df = values.length - 1;
    Interval ci = tInterval(mean, sd / Math.sqrt(values.length), df, level, bounds);
    return new TestResult("one-sample t-test", "t", r.getStatistic(), df, r.getPValue(), alternative, mu, mean, sd,
        ci, values.length, false, rule);
  }

  /**
   * Nadeau and Bengio's corrected resampled t-test (Machine Learning 52, 2003, 239–281) for J paired
   * splits (k-fold cross-validation, or repeated random splits) whose training sets overlap: the variance
   * of the mean difference is s² (1/J + n_test/n_train) instead of s²/J, because the splits' results are
   * correlated. df = J - 1.
   *
   * @param method the method's value on each split
   * @param baseline the baseline's value on the same splits, in the same order
   * @param trainSize examples in each split's training set
   * @param testSize examples in each split's test set
   * @throws IllegalArgumentException with fewer than two splits, or sizes that are not positive
   */
  public static TestResult correctedResampled(double[] method, double[] baseline, int trainSize, int testSize,
      double margin, Alternative alternative, double level, Bounds bounds) {
    double[] d = Samples.differences(method, baseline);
    Samples.atLeast(2, d, "the corrected resampled t-test");
    Samples.level(level);
    if (trainSize <= 0 || testSize <= 0) {
      throw new IllegalArgumentException("training and test sizes must be positive: " + trainSize + ", " + testSize);
    }
    int j = d.length;
    String rule = String.format(Locale.ROOT, "Nadeau and Bengio's corrected resampled t-test over %d shared splits "
        + "(variance × (1/%d + %d/%d)), H0: difference %s %s (%s), %s corrected t interval", j, j, testSize,
        trainSize, alternative.nullRelation(), num(margin), alternative.sides(), percent(level));
    double mean = Samples.mean(d);
    if (Samples.constant(d, method, baseline)) {
      return exact("corrected resampled t-test", mean, margin, alternative, level, j, bounds.difference(), rule);
    }
    double sd = Samples.sd(d);
    double se = sd * Math.sqrt(1.0 / j + (double) testSize / trainSize);
    double df = j - 1;
    double t = (mean - margin) / se;
    TDistribution dist = TDistribution.of(df);
    double p = switch (alternative) {
      case TWO_SIDED -> Math.min(1, 2 * dist.survivalProbability(Math.abs(t)));
      case GREATER -> dist.survivalProbability(t);
      case LESS -> dist.cumulativeProbability(t);
    };
    Interval ci = tInterval(mean, se, df, level, bounds.difference());
    return new TestResult("corrected resampled t-test", "t", t, df, p, alternative, margin, mean, sd, ci, j, false,
        rule);
  }

  /** estimate ± t(1 - (1 - level)/2, df) · se, inside {@code bounds}. */
  static Interval tInterval(double estimate, double se, double df, double level, Bounds bounds) {
    double half = TDistribution.of(df).inverseSurvivalProbability((1 - level) / 2) * se;
    return bounds.clip(new Interval(estimate - half, estimate + half, level, STUDENT, false));
  }

  /**
   * A sample without spread (deterministic runs): the estimate is exact, the interval is the estimate
   * itself (flagged), the statistic infinite and the p-value 0 or 1.
   */
  private static TestResult exact(String test, double estimate, double nullValue, Alternative alternative,
      double level, int n, Bounds bounds, String rule) {
    double t = estimate == nullValue ? Double.NaN : Math.copySign(Double.POSITIVE_INFINITY, estimate - nullValue);
    boolean rejected = switch (alternative) {
      case TWO_SIDED -> estimate != nullValue;
      case GREATER -> estimate > nullValue;
      case LESS -> estimate < nullValue;
    };
    Interval ci = bounds.clip(new Interval(estimate, estimate, level, "none: zero variance", false));
    return new TestResult(test, "t", t, Double.NaN, rejected ? 0 : 1, alternative, nullValue, estimate, 0, ci, n,
        true, rule + "; every value was the same (zero variance), so the estimate is exact and the interval "
            + "has no width");
  }
}
