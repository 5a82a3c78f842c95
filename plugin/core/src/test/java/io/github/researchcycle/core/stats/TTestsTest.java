package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reference values from scipy 1.17.1 (python3, numpy arrays of the values below), and R's own example of
 * the paired test (Student's sleep data, {@code t.test(extra ~ group, data = sleep, paired = TRUE)}:
 * t = -4.0621, df = 9, p-value = 0.002833, 95 % CI -2.4598858 to -0.7001142).
 */
class TTestsTest {
  static final double[] SLEEP_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  static final double[] SLEEP_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
  static final double[] METHOD = {0.912, 0.905, 0.921, 0.899, 0.915};
  static final double[] BASELINE = {0.901, 0.897, 0.905, 0.893, 0.900};

  @Test
  void pairedMatchesStudentsSleepData() {
    // scipy.stats.ttest_rel(g1, g2) -> statistic -4.062127683382037, pvalue 0.002832890197384273, df 9,
    // confidence_interval(0.95) -> (-2.459885763276983, -0.7001142367230175)
    TestResult r = TTests.paired(SLEEP_1, SLEEP_2, 0, Alternative.TWO_SIDED, 0.95, Bounds.NONE);
    assertEquals("paired t-test", r.test());
    assertEquals(-4.062127683382037, r.statistic(), 1e-10);
    assertEquals(9, r.df(), 0);
    assertEquals(0.002832890197384273, r.p(), 1e-12);
    assertEquals(-1.58, r.estimate(), 1e-12);
    assertEquals(-2.459885763276983, r.interval().low(), 1e-10);
    assertEquals(-0.7001142367230175, r.interval().high(), 1e-10);
    assertEquals(10, r.n());
    assertFalse(r.zeroVariance());
    assertFalse(r.interval().clipped());
  }

  @Test
  void pairedOneSidedAgainstTheMargin() {
    // d = METHOD - BASELINE; scipy.stats.ttest_1samp(d, popmean=0.005, alternative='greater')
    //   -> statistic 3.2059436779691213, pvalue 0.016357505972650333; d.mean() 0.0112, d.std(ddof=1) 0.004324349662087934
    // scipy.stats.ttest_rel(METHOD, BASELINE).confidence_interval(0.95) -> (0.00583061070894081, 0.016569389291059212)
    TestResult r = TTests.paired(METHOD, BASELINE, 0.005, Alternative.GREATER, 0.95, Bounds.NONE);
    assertEquals(3.2059436779691213, r.statistic(), 1e-9);
    assertEquals(0.016357505972650333, r.p(), 1e-11);
    assertEquals(0.0112, r.estimate(), 1e-12);
    assertEquals(0.004324349662087934, r.sd(), 1e-12);
    assertEquals(0.00583061070894081, r.interval().low(), 1e-11);
    assertEquals(0.016569389291059212, r.interval().high(), 1e-11);
    assertEquals(0.005, r.nullValue(), 0);
    assertTrue(r.rule().startsWith("paired t-test over 5 shared seeds"), r.rule());
    assertTrue(r.rule().contains("H0: difference ≤ 0.005 (one-sided)"), r.rule());
  }

  @Test
  void pairedWithoutSpreadIsFlaggedAndExact() {
    // 0.90 - 0.80 and 0.91 - 0.81 differ only by rounding: the differences have no spread.
    TestResult r = TTests.paired(new double[] {0.90, 0.91, 0.89}, new double[] {0.80, 0.81, 0.79}, 0.01,
        Alternative.GREATER, 0.95, Bounds.UNIT);
    assertTrue(r.zeroVariance());
    assertEquals(0.1, r.estimate(), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, r.statistic());
    assertEquals(0, r.p(), 0);
    assertEquals(r.estimate(), r.interval().low(), 0);
    assertEquals(r.estimate(), r.interval().high(), 0);
    assertTrue(r.interval().method().contains("zero variance"));
    assertTrue(r.rule().contains("zero variance"), r.rule());

    TestResult below = TTests.paired(new double[] {0.805, 0.805}, new double[] {0.8, 0.8}, 0.01,
        Alternative.GREATER, 0.95, Bounds.NONE);
    assertEquals(1, below.p(), 0);
    assertEquals(Double.NEGATIVE_INFINITY, below.statistic());
  }

  @Test
  void pairedNeedsPairs() {
    assertThrows(IllegalArgumentException.class, () -> TTests.paired(new double[] {1, 2}, new double[] {1, 2, 3}, 0,
        Alternative.TWO_SIDED, 0.95, Bounds.NONE));
    assertThrows(IllegalArgumentException.class, () -> TTests.paired(new double[] {1}, new double[] {2}, 0,
        Alternative.TWO_SIDED, 0.95, Bounds.NONE));
  }

  @Test
  void welchMatchesScipy() {
    // Wikipedia's Welch example 1; scipy.stats.ttest_ind(a, b, equal_var=False, alternative='less')
    //   -> statistic -2.455356398286006, pvalue 0.010689000731433496, df 24.988529290231416
    // The 95 % interval as in StatisticsTest (scipy's two-sided ttest_ind ... .confidence_interval()).
    double[] a = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
    double[] b = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
    TestResult r = TTests.welch(a, b, 0, Alternative.LESS, 0.95, Bounds.NONE);
    assertEquals("Welch's t-test", r.test());
    assertEquals(-2.455356398286006, r.statistic(), 1e-10);
    assertEquals(24.988529290231416, r.df(), 1e-9);
    assertEquals(0.010689000731433496, r.p(), 1e-11);
    assertEquals(-3.984096267140929, r.interval().low(), 1e-7);
    assertEquals(-0.3492370661924069, r.interval().high(), 1e-7);
    assertEquals(15, r.n());
  }

  @Test
  void welchAgainstAMarginShiftsTheStatistic() {
    // t = (diff - margin) / se: the same data against a margin of -1 is the two-sided test of a - b + 1.
    double[] a = {1, 2, 3, 4, 5};
    double[] b = {0.5, 2.5, 3.5, 2, 4};
    TestResult shifted = TTests.welch(a, b, -1, Alternative.TWO_SIDED, 0.95, Bounds.NONE);
    double[] a1 = {2, 3, 4, 5, 6};
    TestResult plain = TTests.welch(a1, b, 0, Alternative.TWO_SIDED, 0.95, Bounds.NONE);
    assertEquals(plain.statistic(), shifted.statistic(), 1e-12);
    assertEquals(plain.p(), shifted.p(), 1e-12);
  }

  @Test
  void oneSampleMatchesScipy() {
    // scipy.stats.ttest_1samp(v, popmean=0.9905) -> statistic -0.9065334715332544, pvalue 0.4159247169920475,
    // confidence_interval(0.95) -> (0.989362442442704, 0.9910775575572962)
    double[] v = {0.9893, 0.9901, 0.9908, 0.9899, 0.9910};
    TestResult r = TTests.oneSample(v, 0.9905, Alternative.TWO_SIDED, 0.95, Bounds.UNIT);
    assertEquals(-0.9065334715332544, r.statistic(), 1e-9);
    assertEquals(0.4159247169920475, r.p(), 1e-10);
    assertEquals(0.989362442442704, r.interval().low(), 1e-11);
    assertEquals(0.9910775575572962, r.interval().high(), 1e-11);
    assertFalse(r.interval().clipped());
  }

  @Test
  void anAccuracyIntervalIsClippedToOne() {
    // mean 0.998, sd 0.002828427, half-width t(0.975, 1) * sd / sqrt 2 = 12.7062047 * 0.002 = 0.0254124:
    // the t interval 0.9726 .. 1.0234 would claim accuracies above 1.
    TestResult r = TTests.oneSample(new double[] {0.996, 1.0}, 0.99, Alternative.TWO_SIDED, 0.95, Bounds.UNIT);
    assertTrue(r.interval().clipped());
    assertEquals(1.0, r.interval().high(), 0);
    assertEquals(0.998 - 12.706204736174698 * 0.002, r.interval().low(), 1e-9);
    TestResult free = TTests.oneSample(new double[] {0.996, 1.0}, 0.99, Alternative.TWO_SIDED, 0.95, Bounds.NONE);
    assertFalse(free.interval().clipped());
    assertEquals(0.998 + 12.706204736174698 * 0.002, free.interval().high(), 1e-9);
  }

  @Test
  void correctedResampledInflatesTheVariance() {
    // Ten splits (e.g. 10-fold cross-validation of 1,000 examples: 900 train, 100 test).
    // d = method - baseline; J = 10; se = sqrt((1/J + 100/900) * d.var(ddof=1)); t = d.mean() / se
    // numpy/scipy: d.mean() 0.018, d.std(ddof=1) 0.010327955589886433, t 3.793172536905859,
    // 2 * scipy.stats.t.sf(|t|, 9) 0.004261827413927659, scipy.stats.t.sf(t, 9) 0.0021309137069638294,
    // interval d.mean() ± scipy.stats.t.ppf(0.975, 9) * se = 0.00726523153529351 .. 0.028734768464706434
    double[] method = {0.81, 0.84, 0.79, 0.83, 0.82, 0.80, 0.85, 0.83, 0.81, 0.84};
    double[] baseline = {0.80, 0.81, 0.79, 0.80, 0.81, 0.78, 0.82, 0.81, 0.80, 0.82};
    TestResult r = TTests.correctedResampled(method, baseline, 900, 100, 0, Alternative.TWO_SIDED, 0.95,
        Bounds.UNIT);
    assertEquals(3.793172536905859, r.statistic(), 1e-9);
    assertEquals(9, r.df(), 0);
    assertEquals(0.004261827413927659, r.p(), 1e-11);
    assertEquals(0.00726523153529351, r.interval().low(), 1e-11);
    assertEquals(0.028734768464706434, r.interval().high(), 1e-11);
    assertEquals(0.010327955589886433, r.sd(), 1e-12);
    assertTrue(r.rule().contains("(1/10 + 100/900)"), r.rule());
    TestResult greater = TTests.correctedResampled(method, baseline, 900, 100, 0, Alternative.GREATER, 0.95,
        Bounds.UNIT);
    assertEquals(0.0021309137069638294, greater.p(), 1e-11);

    // The plain paired test of the same splits is more confident by sqrt(1 + J n_test / n_train) = sqrt(19/9).
    TestResult plain = TTests.paired(method, baseline, 0, Alternative.TWO_SIDED, 0.95, Bounds.UNIT);
    assertEquals(r.statistic() * Math.sqrt(19.0 / 9), plain.statistic(), 1e-9);
    assertTrue(plain.p() < r.p() / 10);
  }
}
