package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.stats.Reproduce.Band;
import org.junit.jupiter.api.Test;

/**
 * The interval is scipy's (1.17.1) {@code scipy.stats.ttest_1samp(v, popmean=reported).confidence_interval(0.95)};
 * the band rule is the one ClaimEvaluator has always applied.
 */
class ReproduceTest {
  static final double[] LENET = {0.9893, 0.9901, 0.9908, 0.9899, 0.9910};

  @Test
  void insideTheBand() {
    // scipy: ttest_1samp(LENET, popmean=0.9905) -> CI (0.989362442442704, 0.9910775575572962),
    // statistic -0.9065334715332544, pvalue 0.4159247169920475: inside 0.9885 .. 0.9925.
    Reproduce.Result r = Reproduce.check(LENET, 0.9905, 0.002, 0.95, Bounds.UNIT);
    assertEquals(Band.INSIDE, r.band());
    assertEquals(0.989362442442704, r.test().interval().low(), 1e-11);
    assertEquals(0.9910775575572962, r.test().interval().high(), 1e-11);
    assertEquals(0.4159247169920475, r.test().p(), 1e-10);
    assertTrue(r.rule().startsWith("the 95 % t interval of the mean over 5 seeds against the reported 0.9905 ± "
        + "0.002: reproduced when it lies inside the band"), r.rule());
  }

  @Test
  void belowAboveAndStraddling() {
    assertEquals(Band.BELOW, Reproduce.check(LENET, 0.995, 0.002, 0.95, Bounds.UNIT).band());
    assertEquals(Band.ABOVE, Reproduce.check(LENET, 0.985, 0.002, 0.95, Bounds.UNIT).band());
    // 0.98936 .. 0.99108 against 0.9895 ± 0.0005 = 0.9890 .. 0.9900: reaches above.
    assertEquals(Band.STRADDLES, Reproduce.check(LENET, 0.9895, 0.0005, 0.95, Bounds.UNIT).band());
  }

  @Test
  void clippingAtOneCanPutAnIntervalInsideTheBand() {
    // {0.996, 1.0}: t interval 0.97259 .. 1.02341 (see TTestsTest); clipped to 0.97259 .. 1.
    // Against 0.99 ± 0.02 = 0.97 .. 1.01 the clipped interval lies inside; unclipped it would reach out.
    Reproduce.Result r = Reproduce.check(new double[] {0.996, 1.0}, 0.99, 0.02, 0.95, Bounds.UNIT);
    assertEquals(Band.INSIDE, r.band());
    assertTrue(r.test().interval().clipped());
    assertTrue(r.rule().contains("clipped to the metric's range"), r.rule());
    assertEquals(Band.STRADDLES, Reproduce.check(new double[] {0.996, 1.0}, 0.99, 0.02, 0.95, Bounds.NONE).band());
  }

  @Test
  void identicalSeedsAreExactAndSaySo() {
    Reproduce.Result r = Reproduce.check(new double[] {0.99, 0.99, 0.99}, 0.9905, 0.002, 0.95, Bounds.UNIT);
    assertEquals(Band.INSIDE, r.band());
    assertTrue(r.test().zeroVariance());
    assertTrue(r.rule().contains("zero variance"), r.rule());
  }

  @Test
  void refusesANegativeTolerance() {
    assertThrows(IllegalArgumentException.class, () -> Reproduce.check(LENET, 0.99, -0.01, 0.95, Bounds.UNIT));
  }
}
