package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example of the Wikipedia article "Holm–Bonferroni method": four p-values 0.01, 0.04, 0.03, 0.005 at
 * α = 0.05; sorted 0.005, 0.01, 0.03, 0.04, multiplied by 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04, made
 * monotone: 0.02, 0.03, 0.06, 0.06 (what R's {@code p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")} gives:
 * 0.03 0.06 0.06 0.02). H1 and H4 are rejected, H2 and H3 not.
 */
class HolmTest {
  @Test
  void adjustsAsRDoes() {
    assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005}),
        1e-15);
  }

  @Test
  void capsAtOneAndKeepsOneComparisonAsIs() {
    assertArrayEquals(new double[] {1, 1}, Holm.adjust(new double[] {0.6, 0.9}), 0);
    assertArrayEquals(new double[] {0.04}, Holm.adjust(new double[] {0.04}), 0);
    assertArrayEquals(new double[0], Holm.adjust(new double[0]), 0);
  }

  @Test
  void correctsTestResults() {
    List<TestResult> results = List.of(result(0.01), result(0.04), result(0.03), result(0.005));
    List<Holm.Adjusted> adjusted = Holm.correct(results, 0.05);
    assertEquals(0.03, adjusted.get(0).adjustedP(), 1e-15);
    assertTrue(adjusted.get(0).rejected());
    assertFalse(adjusted.get(1).rejected());
    assertFalse(adjusted.get(2).rejected());
    assertTrue(adjusted.get(3).rejected());
    assertEquals(results.get(1), adjusted.get(1).result());
    assertTrue(adjusted.get(1).rule().startsWith("Holm's step-down correction over 4 comparisons against the "
        + "baseline: p = 0.04 adjusted to 0.06, not rejected"), adjusted.get(1).rule());
  }

  @Test
  void refusesWhatIsNotAProbability() {
    assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {0.1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {1.2}));
  }

  static TestResult result(double p) {
    return new TestResult("paired t-test", "t", 1, 4, p, Alternative.GREATER, 0, 0.01, 0.01,
        new Interval(0, 0.02, 0.95, "Student's t", false), 5, false, "");
  }
}
