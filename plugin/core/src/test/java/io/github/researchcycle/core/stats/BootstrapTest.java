package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reference is the exact bootstrap distribution: with five pairs there are 5^5 = 3125 equally
 * likely resamples, enumerated in python (itertools.product(range(5), repeat=5), the mean of each).
 * For the differences {0, 0, 1, 1, 3} its CDF reaches 0.025 at the mean 0.2 (0.01024 below it, 0.06144
 * at it) and 0.975 at the mean 2.0 (0.95488 below, 0.98048 at it); with 20,000 resamples the sampling
 * error of those CDF values is about 0.0011, so the percentile interval is exactly 0.2 .. 2.0 (times the
 * scale of the differences).
 */
class BootstrapTest {
  static final double[] BASELINE = {0.80, 0.81, 0.79, 0.82, 0.80};
  static final double[] METHOD = {0.80, 0.81, 0.80, 0.83, 0.83};

  @Test
  void percentileIntervalIsTheExactBootstrapsQuantiles() {
    TestResult r = Bootstrap.pairedMeanDifference(METHOD, BASELINE, 20_000, 0.95, new SplittableRandom(20261204),
        Bounds.UNIT);
    assertEquals("paired bootstrap", r.test());
    assertEquals(0.01, r.estimate(), 1e-12);
    assertEquals(0.002, r.interval().low(), 1e-12);
    assertEquals(0.02, r.interval().high(), 1e-12);
    assertEquals("bootstrap percentile", r.interval().method());
    assertEquals(5, r.n());
    assertTrue(Double.isNaN(r.p()));
    assertTrue(r.rule().contains("20,000 resamples"), r.rule());
  }

  @Test
  void theSameSeedGivesTheSameIntervalAndAnotherSeedAnother() {
    double[] m = {0.71, 0.74, 0.69, 0.77, 0.72, 0.75, 0.70};
    double[] b = {0.70, 0.71, 0.70, 0.72, 0.69, 0.73, 0.71};
    TestResult one = Bootstrap.pairedMeanDifference(m, b, 2000, 0.95, new SplittableRandom(1), Bounds.NONE);
    TestResult again = Bootstrap.pairedMeanDifference(m, b, 2000, 0.95, new SplittableRandom(1), Bounds.NONE);
    TestResult other = Bootstrap.pairedMeanDifference(m, b, 2000, 0.95, new SplittableRandom(2), Bounds.NONE);
    assertEquals(one, again);
    assertNotEquals(one.interval(), other.interval());
  }

  @Test
  void accuracyOverExamplesIsNearTheNormalInterval() {
    // 10,000 examples: the method right on 9,100, the baseline on 9,000, discordant 300 / 200.
    // The bootstrap interval of the mean difference approaches d ± 1.959964 sd / sqrt(N) for large N:
    // d = 0.01, sd of the per-example differences = sqrt((500 - 10000 * 0.0001) / 9999) = 0.2235, half 0.004381.
    int n = 10_000;
    boolean[] m = new boolean[n];
    boolean[] b = new boolean[n];
    for (int i = 0; i < n; i++) {
      m[i] = i < 8_800 || (i >= 8_800 && i < 9_100);
      b[i] = i < 8_800 || (i >= 9_100 && i < 9_300);
    }
    TestResult r = Bootstrap.accuracyDifference(m, b, 5_000, 0.95, new SplittableRandom(7));
    assertEquals(0.01, r.estimate(), 1e-12);
    double half = 1.959964 * Math.sqrt((500 - n * 0.0001) / (n - 1)) / Math.sqrt(n);
    assertEquals(0.01 - half, r.interval().low(), 3e-4);
    assertEquals(0.01 + half, r.interval().high(), 3e-4);
  }

  @Test
  void zeroVarianceIsFlaggedNotResampled() {
    TestResult r = Bootstrap.pairedMeanDifference(new double[] {0.9, 0.8, 0.7}, new double[] {0.8, 0.7, 0.6}, 1000,
        0.95, new SplittableRandom(3), Bounds.UNIT);
    assertTrue(r.zeroVariance());
    assertEquals(r.estimate(), r.interval().low(), 0);
    assertEquals(r.estimate(), r.interval().high(), 0);
    assertTrue(r.rule().contains("zero variance"), r.rule());
  }

  @Test
  void refusesWhatItCannotResample() {
    SplittableRandom random = new SplittableRandom(1);
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.pairedMeanDifference(new double[] {1, 2},
        new double[] {1, 2}, 0, 0.95, random, Bounds.NONE));
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.pairedMeanDifference(new double[] {1},
        new double[] {1}, 10, 0.95, random, Bounds.NONE));
  }
}
