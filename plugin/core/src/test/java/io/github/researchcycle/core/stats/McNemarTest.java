package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reference p-values from scipy 1.17.1: {@code scipy.stats.binomtest(b, b + c, 0.5).pvalue} (two-sided). */
class McNemarTest {
  /** {@code n} examples: {@code both} right for both, then b right only for the method, c only for the baseline. */
  static boolean[][] table(int both, int b, int c, int neither) {
    int n = both + b + c + neither;
    boolean[] m = new boolean[n];
    boolean[] base = new boolean[n];
    for (int i = 0; i < n; i++) {
      m[i] = i < both + b;
      base[i] = i < both || (i >= both + b && i < both + b + c);
    }
    return new boolean[][] {m, base};
  }

  @Test
  void smallDiscordantCounts() {
    // binomtest(12, 15, 0.5).pvalue -> 0.03515625
    boolean[][] t = table(70, 12, 3, 15);
    TestResult r = McNemar.exact(t[0], t[1]);
    assertEquals("McNemar's exact test", r.test());
    assertEquals(0.03515625, r.p(), 1e-12);
    assertEquals(12, r.statistic(), 0);
    assertEquals(100, r.n());
    assertEquals((12 - 3) / 100.0, r.estimate(), 1e-12);
    assertEquals(new McNemar.Counts(12, 3, 70, 15), McNemar.counts(t[0], t[1]));
    assertFalse(r.zeroVariance());
  }

  @Test
  void tenThousandExamples() {
    // binomtest(100, 180, 0.5).pvalue -> 0.15653146957815167
    boolean[][] t = table(9_000, 100, 80, 820);
    TestResult r = McNemar.exact(t[0], t[1]);
    assertEquals(0.15653146957815167, r.p(), 1e-12);
    assertTrue(r.rule().startsWith("McNemar's exact test on 10,000 shared test examples: 100 right only for the "
        + "method, 80 only for the baseline"), r.rule());
    // Swapping the arms changes the sign, not the p-value.
    TestResult back = McNemar.exact(t[1], t[0]);
    assertEquals(r.p(), back.p(), 1e-15);
    assertEquals(-r.estimate(), back.estimate(), 1e-15);
  }

  @Test
  void balancedOrNoDiscordantPairsGiveOne() {
    // binomtest(5, 10, 0.5).pvalue -> 1.0
    boolean[][] t = table(50, 5, 5, 0);
    assertEquals(1.0, McNemar.exact(t[0], t[1]).p(), 1e-12);
    boolean[][] same = table(40, 0, 0, 10);
    TestResult r = McNemar.exact(same[0], same[1]);
    assertEquals(1.0, r.p(), 0);
    assertTrue(r.zeroVariance(), "the arms agree on every example");
  }

  @Test
  void refusesDifferentTestSets() {
    assertThrows(IllegalArgumentException.class, () -> McNemar.exact(new boolean[3], new boolean[4]));
    assertThrows(IllegalArgumentException.class, () -> McNemar.exact(new boolean[0], new boolean[0]));
  }
}
