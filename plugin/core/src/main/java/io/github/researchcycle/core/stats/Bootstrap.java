package io.github.researchcycle.core.stats;

import static io.github.researchcycle.core.stats.Samples.num;
import static io.github.researchcycle.core.stats.Samples.percent;

import java.util.Locale;
import java.util.random.RandomGenerator;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * The paired bootstrap percentile interval of a mean difference: resample the pairs (seeds, or the
 * examples of a shared test set) with replacement, take the mean difference of each resample, and read
 * the interval off the resampled means' quantiles (Efron and Tibshirani 1993, ch. 13; the quantiles by
 * Hyndman and Fan's definition 7, numpy's and R's default).
 */
public final class Bootstrap {
  private Bootstrap() {}

  /**
   * The paired bootstrap of mean(method - baseline).
   *
   * @param method the method's values (per seed, or per test example)
   * @param baseline the baseline's values for the same seeds or examples, in the same order
   * @param resamples how many resamples to draw, e.g. 10,000
   * @param level the interval's level, e.g. 0.95
   * @param random the source of the resampling (seeded by the caller, so that the interval is repeatable)
   * @param bounds the metric's range (the difference is kept inside its range)
   * @throws IllegalArgumentException with fewer than two pairs, arrays of different lengths, or fewer than
   *     one resample
   */
  public static TestResult pairedMeanDifference(double[] method, double[] baseline, int resamples, double level,
      RandomGenerator random, Bounds bounds) {
    double[] d = Samples.differences(method, baseline);
    Samples.atLeast(2, d, "a paired bootstrap");
    Samples.level(level);
    if (resamples < 1) {
      throw new IllegalArgumentException("a bootstrap needs at least one resample, not " + resamples);
    }
    double mean = Samples.mean(d);
    String rule = String.format(Locale.ROOT, "paired bootstrap over %,d shared pairs of mean(method - baseline), "
        + "%,d resamples, %s percentile interval", d.length, resamples, percent(level));
    if (Samples.constant(d, method, baseline)) {
      Interval none = bounds.difference().clip(new Interval(mean, mean, level, "none: zero variance", false));
      return new TestResult("paired bootstrap", "", Double.NaN, Double.NaN, Double.NaN, Alternative.TWO_SIDED,
          Double.NaN, mean, 0, none, d.length, true, rule + "; every difference was " + num(mean)
              + " (zero variance), so every resample gives the same mean");
    }
    double[] means = new double[resamples];
    int n = d.length;
    for (int b = 0; b < resamples; b++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += d[random.nextInt(n)];
      }
      means[b] = sum / n;
    }
    double tail = (1 - level) / 2;
    double[] ends = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7).withCopy(false)
        .evaluate(means, tail, 1 - tail);
    Interval ci = bounds.difference().clip(new Interval(ends[0], ends[1], level, "bootstrap percentile", false));
    return new TestResult("paired bootstrap", "", Double.NaN, Double.NaN, Double.NaN, Alternative.TWO_SIDED,
        Double.NaN, mean, Samples.sd(d), ci, n, false, rule);
  }

  /**
   * The paired bootstrap of the difference in accuracy on a shared test set, from each arm's per-example
   * correctness.
   */
  public static TestResult accuracyDifference(boolean[] methodCorrect, boolean[] baselineCorrect, int resamples,
      double level, RandomGenerator random) {
    return pairedMeanDifference(ones(methodCorrect), ones(baselineCorrect), resamples, level, random, Bounds.UNIT);
  }

  static double[] ones(boolean[] correct) {
    double[] v = new double[correct.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = correct[i] ? 1 : 0;
    }
    return v;
  }
}
