package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.stats.Bounds;
import io.github.researchcycle.core.stats.Interval;
import org.apache.commons.statistics.distribution.TDistribution;

/** Mean, standard deviation and Student's t intervals over seeds; Welch's test between two groups. */
public final class Statistics {
  private Statistics() {}

  /**
   * A sample summarised.
   *
   * @param n the number of values
   * @param mean their mean
   * @param sd the sample standard deviation (n - 1), NaN when n &lt; 2
   * @param ciLow the lower end of the 95 % confidence interval of the mean (Student's t), NaN when n &lt; 2
   * @param ciHigh the upper end of that interval
   * @param zeroVariance whether two values or more were all the same, so that the interval is the mean itself
   *     (deterministic runs): a fact to report, not a precise interval
   * @param clipped whether the interval was cut to the range the metric can take (an accuracy's [0, 1])
   */
  public record Summary(int n, double mean, double sd, double ciLow, double ciHigh, boolean zeroVariance,
      boolean clipped) {}

  /**
   * Welch's unequal-variance comparison of two means.
   *
   * @param difference mean(a) - mean(b)
   * @param t the t statistic of the difference
   * @param df the Welch–Satterthwaite degrees of freedom
   * @param pTwoSided the two-sided p-value for "no difference"
   * @param ciLow the lower end of the 95 % confidence interval of the difference
   * @param ciHigh the upper end
   */
  public record Welch(double difference, double t, double df, double pTwoSided, double ciLow, double ciHigh) {}

  /** Summarises a sample; an empty one gives n = 0 and NaNs. */
  public static Summary summarize(double[] values) {
    return summarize(values, Bounds.NONE);
  }

  /** Summarises a sample of a metric that lies within {@code bounds}; the interval is kept inside them. */
  public static Summary summarize(double[] values, Bounds bounds) {
    int n = values.length;
    if (n == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, false);
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= n;
    // One correction pass: sum / n of equal values can miss them by an ulp (3 x 0.9 gives 0.9000000000000001),
    // which would give identical values a non-zero sd.
    double residual = 0;
    for (double v : values) {
      residual += v - mean;
    }
    mean += residual / n;
    if (n < 2) {
      return new Summary(n, mean, Double.NaN, Double.NaN, Double.NaN, false, false);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double half = tQuantile(0.975, n - 1) * sd / Math.sqrt(n);
    Interval ci = bounds.clip(new Interval(mean - half, mean + half, 0.95, "Student's t", false));
    return new Summary(n, mean, sd, ci.low(), ci.high(), sd == 0, ci.clipped());
  }

  /** Welch's comparison of mean(a) against mean(b); needs two values in each. */
  public static Welch welch(double[] a, double[] b) {
    Summary sa = summarize(a);
    Summary sb = summarize(b);
    if (sa.n() < 2 || sb.n() < 2) {
      return new Welch(sa.mean() - sb.mean(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double va = sa.sd() * sa.sd() / sa.n();
    double vb = sb.sd() * sb.sd() / sb.n();
    double se = Math.sqrt(va + vb);
    double diff = sa.mean() - sb.mean();
    if (se == 0) {
      // Identical values within each group (deterministic runs): the difference is exact.
      return new Welch(diff, diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff), Double.NaN,
          diff == 0 ? 1 : 0, diff, diff);
    }
    double df = (va + vb) * (va + vb) / (va * va / (sa.n() - 1) + vb * vb / (sb.n() - 1));
    double t = diff / se;
    TDistribution dist = TDistribution.of(df);
    double p = 2 * dist.cumulativeProbability(-Math.abs(t));
    double half = dist.inverseCumulativeProbability(0.975) * se;
    return new Welch(diff, t, df, p, diff - half, diff + half);
  }

  /** The {@code p} quantile of Student's t with {@code df} degrees of freedom. */
  public static double tQuantile(double p, double df) {
    return TDistribution.of(df).inverseCumulativeProbability(p);
  }
}
