package io.github.researchcycle.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.stats.Power.Design;
import org.junit.jupiter.api.Test;

/**
 * Reference values from scipy 1.17.1, {@code scipy.stats.nct.sf(c, df, delta)}; the power of the
 * one-sided test at α is {@code nct.sf(t.ppf(1 - α, df), df, delta)} with df = n - 1, delta = shift √n / sd
 * (paired) or df = 2n - 2, delta = shift / (sd √(2/n)) (unpaired), which is R's {@code power.t.test}
 * with {@code strict = FALSE}: its example {@code power.t.test(n = 20, delta = 1)} gives 0.8689528 and
 * {@code power.t.test(power = .90, delta = 1)} n = 22.02110, i.e. 23 per arm.
 */
class PowerTest {
  @Test
  void noncentralTailMatchesScipy() {
    // nct.sf(t.ppf(0.975, 38), 38, sqrt(10)) -> 0.8689528016921273
    assertEquals(0.8689528016921273, Power.noncentralTSurvival(2.0243941639119694, 38, Math.sqrt(10)), 1e-8);
    // nct.sf(t.ppf(0.975, 4), 4, 3.0) -> 0.6192575370802132
    assertEquals(0.6192575370802132, Power.noncentralTSurvival(2.7764451051977934, 4, 3.0), 1e-8);
    // nct.sf(1.5, 1, 2.0) -> 0.7370649038018744
    assertEquals(0.7370649038018744, Power.noncentralTSurvival(1.5, 1, 2.0), 1e-8);
    // nct.sf(1.98, 100, 2.5) -> 0.6984364024208021
    assertEquals(0.6984364024208021, Power.noncentralTSurvival(1.98, 100, 2.5), 1e-8);
  }

  @Test
  void rsPowerTTestExamples() {
    assertEquals(0.8689528, Power.power(Design.UNPAIRED, 20, 1, 1, 0.025), 1e-7);
    Power.Result r = Power.seedsNeeded(Design.UNPAIRED, 1, 1, 0.025, 0.9);
    assertEquals(23, r.n());
    // scipy: power with 23 per arm 0.9124982956605628, with 22 0.8997136475314669 (just short of 0.9).
    assertEquals(0.9124982956605628, r.power(), 1e-8);
    assertTrue(Power.power(Design.UNPAIRED, 22, 1, 1, 0.025) < 0.9);
  }

  @Test
  void seedsForAPairedClaim() {
    // A margin of 0.01 and pilot differences with sd 0.008: scipy gives power 0.7861895067399081 with 7
    // seeds and 0.8564435306855501 with 8; the normal approximation ((1.959964 + 0.841621) * 0.8)^2 = 5.0233
    // asks for 6, too few.
    Power.Result r = Power.seedsNeeded(Design.PAIRED, 0.01, 0.008, 0.025, 0.8);
    assertEquals(8, r.n());
    assertEquals(0.8564435306855501, r.power(), 1e-8);
    assertEquals(6, r.normalApproximation());
    assertTrue(r.rule().startsWith("A paired design (both arms on the same seeds) needs 8 seeds for 80 % power"),
        r.rule());
    assertTrue(r.rule().contains("the normal approximation says 6"), r.rule());

    // shift 0.005, sd 0.01: 34 seeds (scipy: 0.8077766855149762 with 34, 0.7953648244333404 with 33).
    Power.Result small = Power.seedsNeeded(Design.PAIRED, 0.005, 0.01, 0.025, 0.8);
    assertEquals(34, small.n());
    assertEquals(0.8077766855149762, small.power(), 1e-8);
  }

  @Test
  void powerOfThePreRegisteredCount() {
    // Five seeds for the claim above: scipy 0.5621629368781378.
    Power.Result r = Power.ofPlan(Design.PAIRED, 5, 0.01, 0.008, 0.025);
    assertEquals(0.5621629368781378, r.power(), 1e-8);
    assertTrue(r.rule().contains("with 5 seeds has 56.22 % power"), r.rule());
  }

  @Test
  void pilotSdOfEachDesign() {
    // numpy: (m - b).std(ddof=1) -> 0.004324349662087934 (the same five seeds);
    // sqrt(((5 - 1) m.var(ddof=1) + (6 - 1) b6.var(ddof=1)) / (5 + 6 - 2)) -> 0.006463859642773934
    double[] m = {0.912, 0.905, 0.921, 0.899, 0.915};
    double[] b = {0.901, 0.897, 0.905, 0.893, 0.900};
    double[] b6 = {0.901, 0.897, 0.905, 0.893, 0.900, 0.899};
    assertEquals(0.004324349662087934, Power.pilotSd(Design.PAIRED, m, b), 1e-15);
    assertEquals(0.006463859642773934, Power.pilotSd(Design.UNPAIRED, m, b6), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Power.pilotSd(Design.PAIRED, m, b6));
  }

  @Test
  void pilotRunsWithoutSpreadNeedTwoSeeds() {
    Power.Result r = Power.seedsNeeded(Design.PAIRED, 0.01, 0, 0.025, 0.8);
    assertEquals(2, r.n());
    assertEquals(1, r.power(), 0);
    assertTrue(r.rule().contains("zero variance"), r.rule());
  }

  @Test
  void refusesWhatCannotBePlanned() {
    assertThrows(IllegalArgumentException.class, () -> Power.seedsNeeded(Design.PAIRED, 0, 0.01, 0.025, 0.8));
    assertThrows(IllegalArgumentException.class, () -> Power.seedsNeeded(Design.PAIRED, 0.01, -1, 0.025, 0.8));
    assertThrows(IllegalArgumentException.class, () -> Power.seedsNeeded(Design.PAIRED, 1e-9, 1, 0.025, 0.8));
    assertThrows(IllegalArgumentException.class, () -> Power.power(Design.PAIRED, 1, 0.01, 0.01, 0.025));
  }
}
