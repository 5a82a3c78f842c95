package io.github.researchcycle.core.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.stats.Bounds;
import org.junit.jupiter.api.Test;

/**
 * Expected values are worked out by hand below; the Student t quantiles and the Welch example were
 * checked with scipy 1.17 ({@code stats.t.ppf}, {@code stats.ttest_ind(a, b, equal_var=False)}).
 */
class StatisticsTest {
  /** t(0.975, 4), the 95 % two-sided quantile for five values. */
  static final double T_975_4 = 2.7764451051977987;

  @Test
  void summaryOfOneToFive() {
    // mean = 15 / 5 = 3; squared deviations 4 + 1 + 0 + 1 + 4 = 10; sd = sqrt(10 / 4) = sqrt(2.5)
    // half-width = t(0.975, 4) * sd / sqrt(5) = 2.7764451 * 1.5811388 / 2.2360680 = 1.9632432
    Statistics.Summary s = Statistics.summarize(new double[] {1, 2, 3, 4, 5});
    assertEquals(5, s.n());
    assertEquals(3.0, s.mean(), 1e-12);
    assertEquals(Math.sqrt(2.5), s.sd(), 1e-12);
    assertEquals(1.5811388300841898, s.sd(), 1e-12);
    double half = T_975_4 * Math.sqrt(2.5) / Math.sqrt(5);
    assertEquals(1.9632431614775572, half, 1e-12);
    assertEquals(3 - half, s.ciLow(), 1e-9);
    assertEquals(3 + half, s.ciHigh(), 1e-9);
  }

  @Test
  void summaryDoesNotDependOnOrderOrOffset() {
    // Shifting every value by 1000 shifts the mean and the interval, not the sd.
    Statistics.Summary a = Statistics.summarize(new double[] {5, 1, 4, 2, 3});
    Statistics.Summary b = Statistics.summarize(new double[] {1005, 1001, 1004, 1002, 1003});
    assertEquals(a.sd(), b.sd(), 1e-9);
    assertEquals(a.mean() + 1000, b.mean(), 1e-9);
    assertEquals(a.ciLow() + 1000, b.ciLow(), 1e-9);
    assertEquals(a.ciHigh() + 1000, b.ciHigh(), 1e-9);
  }

  @Test
  void twoValues() {
    // {0.8, 0.9}: mean 0.85, sd = sqrt(2 * 0.05^2 / 1) = 0.0707107, t(0.975, 1) = 12.7062047
    // half-width = 12.7062047 * 0.0707107 / sqrt(2) = 12.7062047 * 0.05 = 0.6353102
    Statistics.Summary s = Statistics.summarize(new double[] {0.8, 0.9});
    assertEquals(0.85, s.mean(), 1e-12);
    assertEquals(Math.sqrt(0.005), s.sd(), 1e-12);
    assertEquals(12.706204736174698, Statistics.tQuantile(0.975, 1), 1e-9);
    assertEquals(0.85 - 0.6353102368087349, s.ciLow(), 1e-9);
    assertEquals(0.85 + 0.6353102368087349, s.ciHigh(), 1e-9);
  }

  @Test
  void oneValueHasAMeanButNoSpread() {
    Statistics.Summary s = Statistics.summarize(new double[] {0.7});
    assertEquals(1, s.n());
    assertEquals(0.7, s.mean(), 0);
    assertTrue(Double.isNaN(s.sd()));
    assertTrue(Double.isNaN(s.ciLow()));
    assertTrue(Double.isNaN(s.ciHigh()));
  }

  @Test
  void emptySampleIsAllNaN() {
    Statistics.Summary s = Statistics.summarize(new double[0]);
    assertEquals(0, s.n());
    assertTrue(Double.isNaN(s.mean()));
    assertTrue(Double.isNaN(s.sd()));
    assertTrue(Double.isNaN(s.ciLow()));
  }

  @Test
  void identicalValuesHaveZeroWidth() {
    Statistics.Summary s = Statistics.summarize(new double[] {0.5, 0.5, 0.5});
    assertEquals(0.5, s.mean(), 0);
    assertEquals(0, s.sd(), 0);
    assertEquals(0.5, s.ciLow(), 0);
    assertEquals(0.5, s.ciHigh(), 0);
  }

  @Test
  void identicalValuesAreFlaggedAsZeroVariance() {
    assertTrue(Statistics.summarize(new double[] {0.5, 0.5, 0.5}).zeroVariance());
    assertFalse(Statistics.summarize(new double[] {0.5, 0.6}).zeroVariance());
    assertFalse(Statistics.summarize(new double[] {0.5}).zeroVariance(), "one value has no variance to speak of");
  }

  @Test
  void anIntervalIsKeptInsideTheMetricsBounds() {
    // {0.996, 1.0}: mean 0.998, half-width t(0.975, 1) * 0.002828427 / sqrt(2) = 12.7062047 * 0.002 = 0.0254124.
    Statistics.Summary clipped = Statistics.summarize(new double[] {0.996, 1.0}, Bounds.UNIT);
    assertEquals(0.998 - 0.025412409472349396, clipped.ciLow(), 1e-9);
    assertEquals(1.0, clipped.ciHigh(), 0);
    assertTrue(clipped.clipped());
    Statistics.Summary free = Statistics.summarize(new double[] {0.996, 1.0});
    assertEquals(0.998 + 0.025412409472349396, free.ciHigh(), 1e-9);
    assertFalse(free.clipped());
  }

  @Test
  void tQuantiles() {
    assertEquals(T_975_4, Statistics.tQuantile(0.975, 4), 1e-9);
    // Large df approach the normal quantile 1.959964.
    assertEquals(1.959964, Statistics.tQuantile(0.975, 1e7), 1e-5);
    assertEquals(-T_975_4, Statistics.tQuantile(0.025, 4), 1e-9);
  }

  /**
   * Welch's t-test, example 1 of the Wikipedia article (two samples of 15), also in scipy:
   * t = -2.455356, df = 24.988529, p = 0.021378, 95 % CI of the difference -3.984096 to -0.349237.
   */
  @Test
  void welchTextbookExample() {
    double[] a = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
    double[] b = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
    // By hand: mean(a) = 312.3 / 15 = 20.82, mean(b) = 344.8 / 15 = 22.986667, difference -2.166667.
    // s_a^2 = 7.867429, s_b^2 = 3.812667; s_a^2/15 = 0.524495, s_b^2/15 = 0.254178; se = sqrt(0.778673) = 0.882425
    // t = -2.166667 / 0.882425 = -2.455356
    // df = 0.778673^2 / (0.524495^2 / 14 + 0.254178^2 / 14) = 0.606332 / 0.024264 = 24.9885 (Welch–Satterthwaite)
    // half-width = t(0.975, 24.9885) * se = 2.059586 * 0.882425 = 1.817430
    Statistics.Welch w = Statistics.welch(a, b);
    assertEquals(20.82 - 22.986666666666665, w.difference(), 1e-9);
    assertEquals(-2.455356398286006, w.t(), 1e-9);
    assertEquals(24.988529290231416, w.df(), 1e-6);
    assertEquals(0.021378001462866992, w.pTwoSided(), 1e-6);
    assertEquals(-3.984096267140929, w.ciLow(), 1e-6);
    assertEquals(-0.3492370661924069, w.ciHigh(), 1e-6);

    Statistics.Welch back = Statistics.welch(b, a);
    assertEquals(-w.difference(), back.difference(), 1e-12);
    assertEquals(-w.t(), back.t(), 1e-12);
    assertEquals(w.df(), back.df(), 1e-9);
    assertEquals(w.pTwoSided(), back.pTwoSided(), 1e-12);
    assertEquals(-w.ciHigh(), back.ciLow(), 1e-9);
  }

  /** Unequal sizes and variances, as with seeds of a method and a baseline. */
  @Test
  void welchUnequalSizes() {
    double[] method = {0.81, 0.83, 0.80, 0.84, 0.82};
    double[] baseline = {0.78, 0.80, 0.76, 0.79};
    // mean(method) = 0.82, s^2 = (1 + 1 + 4 + 4 + 0) e-4 / 4 = 2.5e-4; s^2/5 = 5e-5
    // mean(baseline) = 0.7825, s^2 = (0.0625 + 3.0625 + 5.0625 + 0.5625) e-4 / 3 = 2.916667e-4; s^2/4 = 7.291667e-5
    // se = sqrt(1.229167e-4) = 0.0110868; t = 0.0375 / 0.0110868 = 3.382407
    // df = (1.229167e-4)^2 / ((5e-5)^2 / 4 + (7.291667e-5)^2 / 3) = 1.510851e-8 / 2.397280e-9 = 6.302354
    Statistics.Welch w = Statistics.welch(method, baseline);
    assertEquals(0.0375, w.difference(), 1e-12);
    assertEquals(3.3824071260127395, w.t(), 1e-9);
    assertEquals(6.302353651176815, w.df(), 1e-9);
    assertEquals(0.013741172756970937, w.pTwoSided(), 1e-6);
    assertEquals(0.010684009103454514, w.ciLow(), 1e-6);
    assertEquals(0.06431599089654566, w.ciHigh(), 1e-6);
  }

  @Test
  void welchWithBothGroupsConstantIsExact() {
    // Deterministic runs: every seed gives the same number. The difference is known exactly.
    Statistics.Welch w = Statistics.welch(new double[] {0.9, 0.9, 0.9}, new double[] {0.8, 0.8, 0.8});
    assertEquals(0.1, w.difference(), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, w.t());
    assertEquals(0.0, w.pTwoSided());
    assertEquals(0.1, w.ciLow(), 1e-12);
    assertEquals(0.1, w.ciHigh(), 1e-12);

    Statistics.Welch worse = Statistics.welch(new double[] {0.7, 0.7}, new double[] {0.8, 0.8});
    assertEquals(Double.NEGATIVE_INFINITY, worse.t());
    assertEquals(-0.1, worse.ciHigh(), 1e-12);

    Statistics.Welch same = Statistics.welch(new double[] {0.8, 0.8}, new double[] {0.8, 0.8});
    assertEquals(0, same.difference(), 0);
    assertEquals(0, same.t(), 0);
    assertEquals(1, same.pTwoSided(), 0);
  }

  @Test
  void welchWithOneGroupConstantUsesTheOthersDegreesOfFreedom() {
    // b has no variance: se^2 = s_a^2 / n_a, and df = (s_a^2/n_a)^2 / ((s_a^2/n_a)^2 / (n_a - 1)) = n_a - 1 = 4.
    // a = {1..5}: difference 3 - 1 = 2, se = sqrt(2.5 / 5) = 0.7071068, t = 2.828427, CI 2 ± 2.776445 * 0.7071068.
    Statistics.Welch w = Statistics.welch(new double[] {1, 2, 3, 4, 5}, new double[] {1, 1, 1});
    assertEquals(2, w.difference(), 1e-12);
    assertEquals(4, w.df(), 1e-9);
    assertEquals(2 / Math.sqrt(0.5), w.t(), 1e-9);
    assertEquals(2 - 1.9632431614775572, w.ciLow(), 1e-9);
    assertEquals(2 + 1.9632431614775572, w.ciHigh(), 1e-9);
  }

  @Test
  void welchNeedsTwoValuesInEachGroup() {
    Statistics.Welch w = Statistics.welch(new double[] {0.9}, new double[] {0.8, 0.7});
    assertEquals(0.15, w.difference(), 1e-12);
    assertTrue(Double.isNaN(w.t()));
    assertTrue(Double.isNaN(w.ciLow()));
    assertTrue(Double.isNaN(w.ciHigh()));
    assertTrue(Double.isNaN(w.pTwoSided()));
  }
}
