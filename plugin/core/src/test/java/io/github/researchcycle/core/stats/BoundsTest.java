package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundsTest {
  @Test
  void proportionsByName() {
    assertEquals(Bounds.UNIT, Bounds.ofMetric("test_accuracy", new double[] {0.9, 0.91}));
    assertEquals(Bounds.UNIT, Bounds.ofMetric("val-F1", new double[] {0.5}));
    assertEquals(Bounds.UNIT, Bounds.ofMetric("accuracy"));
    assertEquals(Bounds.NONE, Bounds.ofMetric("loss", new double[] {0.3}));
    assertEquals(Bounds.NONE, Bounds.ofMetric("accurate_loss", new double[] {0.3}), "words, not substrings");
  }

  @Test
  void anAccuracyInPercentIsNotBounded() {
    assertEquals(Bounds.NONE, Bounds.ofMetric("accuracy", new double[] {0.5}, new double[] {99.05}));
  }

  @Test
  void clipsAndSaysSo() {
    Interval in = new Interval(0.97, 1.02, 0.95, "Student's t", false);
    Interval out = Bounds.UNIT.clip(in);
    assertEquals(0.97, out.low(), 0);
    assertEquals(1.0, out.high(), 0);
    assertTrue(out.clipped());
    Interval inside = new Interval(0.2, 0.3, 0.95, "Student's t", false);
    assertSame(inside, Bounds.UNIT.clip(inside));
    assertFalse(Bounds.NONE.clip(in).clipped());
    assertEquals(new Bounds(-1, 1), Bounds.UNIT.difference());
  }
}
