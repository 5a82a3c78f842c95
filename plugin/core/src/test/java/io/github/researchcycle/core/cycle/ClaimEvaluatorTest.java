package io.github.researchcycle.core.cycle;

import static io.github.researchcycle.core.cycle.Fixtures.improve;
import static io.github.researchcycle.core.cycle.Fixtures.reproduce;
import static io.github.researchcycle.core.cycle.Fixtures.run;
import static io.github.researchcycle.core.cycle.Fixtures.seeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.Descriptor.Goal;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClaimEvaluatorTest {
  static final Descriptor ACCURACY = improve("accuracy", Goal.MAXIMIZE, 0.01, 5);

  static List<RunRecord> join(List<RunRecord> a, List<RunRecord> b) {
    List<RunRecord> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static ClaimEvaluator.Evaluation improveOf(Descriptor d, double[] baseline, double[] method) {
    String metric = d.metric().name();
    return ClaimEvaluator.evaluate(d, join(seeds("baseline", metric, baseline), seeds("method", metric, method)));
  }

  // --- improve -------------------------------------------------------------------------------------------------

  @Test
  void clearlyBetterBeyondTheMarginIsPositive() {
    // Each group: sd = sqrt(2e-4 / 4) = 0.0070711; se = sqrt(2 * 0.5e-4 / 5) = 0.0044721, df = 8,
    // t(0.975, 8) = 2.306004, so the difference 0.10 has the interval 0.10 ± 0.010313: above 0.01.
    var e = improveOf(ACCURACY, new double[] {0.80, 0.81, 0.79, 0.80, 0.80}, new double[] {0.90, 0.91, 0.89, 0.90, 0.90});
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    assertTrue(e.reason().startsWith("Positive: the method's advantage over the baseline (method minus baseline) is 0.1000"), e.reason());
    assertTrue(e.reason().contains("margin of 0.0100"), e.reason());
    assertEquals(0.10, e.welch().difference(), 1e-12);
    assertEquals(8, e.welch().df(), 1e-9);
    assertEquals(0.10 - 2.306004135 * Math.sqrt(2e-5), e.welch().ciLow(), 1e-8);
    assertEquals("accuracy", e.metric());
    assertTrue(e.higherIsBetter());
    assertEquals(5, e.seedsRequired());
    assertEquals(5, e.method().used().size());
    assertEquals(5, e.baseline().used().size());
    assertEquals(0.90, e.method().summary().mean(), 1e-12);
    assertEquals(0.80, e.baseline().summary().mean(), 1e-12);
  }

  @Test
  void clearlyWorseIsNegative() {
    var e = improveOf(ACCURACY, new double[] {0.80, 0.81, 0.79, 0.80, 0.80}, new double[] {0.70, 0.71, 0.69, 0.70, 0.70});
    assertEquals(Verdict.NEGATIVE, e.verdict(), e.reason());
    assertTrue(e.reason().startsWith("Negative:"), e.reason());
    assertEquals(-0.10, e.welch().difference(), 1e-12);
    assertTrue(e.welch().ciHigh() < 0, e.reason());
  }

  @Test
  void betterButSurelyBelowTheMarginIsNegative() {
    // Better by 0.01 ± 0.0103, against a margin of 0.05: the improvement claimed is ruled out.
    Descriptor d = improve("accuracy", Goal.MAXIMIZE, 0.05, 5);
    var e = improveOf(d, new double[] {0.80, 0.81, 0.79, 0.80, 0.80}, new double[] {0.81, 0.82, 0.80, 0.81, 0.81});
    assertEquals(Verdict.NEGATIVE, e.verdict(), e.reason());
    assertEquals(0.01, e.welch().difference(), 1e-12);
  }

  @Test
  void noisyRunsStraddlingTheMarginAreInconclusive() {
    // sd 0.158 in each group, and the per-seed differences {0.25, -0.25, 0.25, 0.15, -0.15} are as noisy
    // (sd 0.232): the mean difference 0.05 has the paired interval 0.05 ± 0.288, which contains 0.01.
    var e = improveOf(ACCURACY, new double[] {0.70, 0.90, 0.80, 0.60, 1.00},
        new double[] {0.95, 0.65, 1.05, 0.75, 0.85});
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("straddles the margin"), e.reason());
    assertTrue(e.test().interval().low() < 0.01 && e.test().interval().high() > 0.01, e.reason());
    assertTrue(e.welch().ciLow() < 0.01 && e.welch().ciHigh() > 0.01, e.reason());
  }

  /** Both experiments on the same seeds: the paired t-test; scipy 1.17.1 gives the numbers. */
  @Test
  void sameSeedsArePairedAgainstTheMargin() {
    // d = method - baseline per seed; scipy.stats.ttest_1samp(d, popmean=0.005, alternative='greater')
    //   -> statistic 3.2059436779691213, pvalue 0.016357505972650333;
    // scipy.stats.ttest_rel(method, baseline).confidence_interval(0.95) -> (0.00583061070894081, 0.016569389291059212)
    // Welch's interval of the same values, scipy.stats.ttest_ind(method, baseline, equal_var=False)
    // .confidence_interval(0.95) -> (0.0006062216270531044, 0.02179377837294687), would straddle the margin.
    Descriptor d = improve("accuracy", Goal.MAXIMIZE, 0.005, 5);
    double[] baseline = {0.901, 0.897, 0.905, 0.893, 0.900};
    double[] method = {0.912, 0.905, 0.921, 0.899, 0.915};
    var e = improveOf(d, baseline, method);
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    assertEquals("paired t-test", e.test().test());
    assertEquals(3.2059436779691213, e.test().statistic(), 1e-9);
    assertEquals(4, e.test().df(), 0);
    assertEquals(0.016357505972650333, e.test().p(), 1e-11);
    assertEquals(0.00583061070894081, e.test().interval().low(), 1e-11);
    assertEquals(0.016569389291059212, e.test().interval().high(), 1e-11);
    assertEquals(0.005, e.test().nullValue(), 0);
    assertEquals("Positive: the method's advantage over the baseline (method minus baseline) is 0.0112 (95 % CI "
        + "0.0058 to 0.0166, paired t-test over 5 shared seeds, one-sided p = 0.0164) against a margin of 0.0050.",
        e.reason());
    assertEquals("paired t-test over 5 shared seeds: both arms ran on the same 5 seeds, so each seed's difference "
        + "cancels what the seed does to both.", e.rule());
    assertEquals(0.0006062216270531044, e.welch().ciLow(), 1e-9, "Welch's comparison is still reported");
  }

  @Test
  void differentSeedsAreComparedWithWelch() {
    // The same values as above with the method on seeds 6..10: nothing pairs, Welch's interval
    // 0.00061 .. 0.02179 straddles the margin of 0.005.
    Descriptor d = improve("accuracy", Goal.MAXIMIZE, 0.005, 5);
    List<RunRecord> runs = new ArrayList<>(seeds("baseline", "accuracy", 0.901, 0.897, 0.905, 0.893, 0.900));
    double[] method = {0.912, 0.905, 0.921, 0.899, 0.915};
    for (int i = 0; i < method.length; i++) {
      runs.add(run("method").seed(6 + i).metric("accuracy", method[i]).build());
    }
    var e = ClaimEvaluator.evaluate(d, runs);
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertEquals("Welch's t-test", e.test().test());
    assertEquals(0.0006062216270531044, e.test().interval().low(), 1e-9);
    assertEquals(0.02179377837294687, e.test().interval().high(), 1e-9);
    assertTrue(e.reason().contains("Welch's t-test over 5 and 5 runs"), e.reason());
    assertTrue(e.rule().contains("the arms did not run on the same seeds (0 shared)"), e.rule());
  }

  @Test
  void pairingRemovesWhatTheSeedDoesToBothArms() {
    // Seeds that move both experiments alike (sd 0.158 across seeds), the method 0.05 better on each: paired,
    // the difference is exact (flagged as zero variance); unpaired, the seeds' noise hides it.
    double[] baseline = {0.70, 0.90, 0.80, 0.60, 1.00};
    double[] method = {0.75, 0.95, 0.85, 0.65, 1.05};
    var paired = improveOf(ACCURACY, baseline, method);
    assertEquals(Verdict.POSITIVE, paired.verdict(), paired.reason());
    assertTrue(paired.test().zeroVariance());
    assertTrue(paired.reason().contains("zero variance: it is the same on every seed"), paired.reason());

    List<RunRecord> runs = new ArrayList<>(seeds("baseline", "accuracy", baseline));
    for (int i = 0; i < method.length; i++) {
      runs.add(run("method").seed(11 + i).metric("accuracy", method[i]).build());
    }
    var unpaired = ClaimEvaluator.evaluate(ACCURACY, runs);
    assertEquals(Verdict.INCONCLUSIVE, unpaired.verdict(), unpaired.reason());
    assertEquals("Welch's t-test", unpaired.test().test());
  }

  @Test
  void runsPairBySeedNotByOrder() {
    // The method's seeds run in reverse order: its values are paired with the baseline's by seed.
    Descriptor d = improve("accuracy", Goal.MAXIMIZE, 0.005, 5);
    List<RunRecord> runs = new ArrayList<>(seeds("baseline", "accuracy", 0.901, 0.897, 0.905, 0.893, 0.900));
    double[] method = {0.912, 0.905, 0.921, 0.899, 0.915};
    for (int i = method.length - 1; i >= 0; i--) {
      runs.add(run("method").seed(i + 1).metric("accuracy", method[i]).build());
    }
    var e = ClaimEvaluator.evaluate(d, runs);
    assertEquals("paired t-test", e.test().test());
    assertEquals(3.2059436779691213, e.test().statistic(), 1e-9);
  }

  @Test
  void tooFewSeedsAreInconclusiveWhateverTheNumbers() {
    var e = improveOf(ACCURACY, new double[] {0.50, 0.50, 0.50, 0.50, 0.50}, new double[] {0.99, 0.99, 0.99});
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("too few seeds"), e.reason());
    assertTrue(e.reason().contains("method has 3"), e.reason());
    assertFalse(e.reason().contains("baseline has"), e.reason());
    assertTrue(e.reason().contains("5 needed"), e.reason());
    assertNull(e.welch());
    assertEquals(3, e.method().values().length);
  }

  @Test
  void seedsDefaultToFive() {
    Descriptor d = improve("accuracy", Goal.MAXIMIZE, 0.01, null);
    var e = improveOf(d, new double[] {0.8, 0.8, 0.8, 0.8}, new double[] {0.9, 0.9, 0.9, 0.9});
    assertEquals(ClaimEvaluator.DEFAULT_SEEDS, e.seedsRequired());
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("baseline has 4, method has 4 usable runs of 5 needed"), e.reason());
  }

  @Test
  void minimizedMetricsFlipTheDirection() {
    Descriptor loss = improve("loss", Goal.MINIMIZE, 0.01, 5);
    var lower = improveOf(loss, new double[] {0.50, 0.51, 0.49, 0.50, 0.50}, new double[] {0.40, 0.41, 0.39, 0.40, 0.40});
    assertEquals(Verdict.POSITIVE, lower.verdict(), lower.reason());
    assertFalse(lower.higherIsBetter());
    assertEquals(0.10, lower.welch().difference(), 1e-12, "signed so that positive is better");
    assertTrue(lower.reason().contains("baseline minus method"), lower.reason());

    var higher = improveOf(loss, new double[] {0.50, 0.51, 0.49, 0.50, 0.50}, new double[] {0.60, 0.61, 0.59, 0.60, 0.60});
    assertEquals(Verdict.NEGATIVE, higher.verdict(), higher.reason());
    assertEquals(-0.10, higher.welch().difference(), 1e-12);
    // The summaries keep the metric's own sign.
    assertEquals(0.60, higher.method().summary().mean(), 1e-12);
  }

  @Test
  void deterministicRunsGiveAnExactVerdict() {
    var e = improveOf(ACCURACY, new double[] {0.8, 0.8, 0.8, 0.8, 0.8}, new double[] {0.82, 0.82, 0.82, 0.82, 0.82});
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    var short_ = improveOf(ACCURACY, new double[] {0.8, 0.8, 0.8, 0.8, 0.8}, new double[] {0.805, 0.805, 0.805, 0.805,
        0.805});
    assertEquals(Verdict.NEGATIVE, short_.verdict(), short_.reason());
  }

  @Test
  void dirtyFailedCrashedAndOlderConfigRunsAreNotUsed() {
    List<RunRecord> runs = new ArrayList<>();
    // Older configuration first: three method runs that would sink the claim.
    for (int s = 1; s <= 3; s++) {
      runs.add(run("method").seed(s).config("sha256:old").metric("accuracy", 0.10).build());
    }
    runs.addAll(seeds("baseline", "accuracy", 0.80, 0.81, 0.79, 0.80, 0.80));
    runs.addAll(seeds("method", "accuracy", 0.90, 0.91, 0.89, 0.90, 0.90));
    runs.add(run("method").seed(6).dirty().metric("accuracy", 0.0).build());
    runs.add(run("method").seed(7).status(RunStatus.FAILED).metric("accuracy", 0.0).build());
    runs.add(run("method").seed(8).status(RunStatus.CRASHED).metric("accuracy", 0.0).build());
    runs.add(run("method").seed(9).status(RunStatus.INTERRUPTED).metric("accuracy", 0.0).build());
    runs.add(run("method").seed(10).status(RunStatus.RUNNING).metric("accuracy", 0.0).build());
    runs.add(run("method").seed(11).metric("loss", 0.3).build());
    runs.add(run("method").seed(12).metric("accuracy", Double.NaN).build());
    runs.add(run("baseline").seed(6).dirty().metric("accuracy", 0.99).build());
    runs.add(run("other").seed(1).metric("accuracy", 0.0).build());
    Collections.shuffle(runs, new Random(7));

    var e = ClaimEvaluator.evaluate(ACCURACY, runs);
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    assertEquals(5, e.method().used().size());
    assertArrayEquals(new double[] {0.90, 0.91, 0.89, 0.90, 0.90}, e.method().values(), 0, "oldest first");
    assertEquals(3, e.method().superseded(), "the older configuration's runs are counted as superseded");
    assertEquals("sha256:current", e.method().configHash());
    assertEquals(5, e.baseline().used().size());
    assertEquals(0, e.baseline().superseded());
    assertTrue(e.method().used().stream().allMatch(r -> r.status() == RunStatus.FINISHED && r.git().clean()));
  }

  @Test
  void aNewConfigurationStartsTheSeedsOver() {
    List<RunRecord> runs = new ArrayList<>(seeds("baseline", "accuracy", 0.80, 0.81, 0.79, 0.80, 0.80));
    runs.addAll(seeds("method", "accuracy", 0.90, 0.91, 0.89, 0.90, 0.90));
    runs.add(run("method").seed(1).config("sha256:new").metric("accuracy", 0.95).build());

    var e = ClaimEvaluator.evaluate(ACCURACY, runs);
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("too few seeds (method has 1"), e.reason());
    assertEquals("sha256:new", e.method().configHash());
    assertEquals(5, e.method().superseded());
  }

  @Test
  void aSeedRunAgainCountsOnce() {
    // Running the same seeds twice does not double the sample: deterministic repeats would shrink the
    // interval without any new evidence. The first run of each seed is the one used.
    List<RunRecord> runs = new ArrayList<>(seeds("baseline", "accuracy", 0.80, 0.81, 0.79, 0.80, 0.80));
    runs.addAll(seeds("method", "accuracy", 0.90, 0.91, 0.89));
    runs.addAll(seeds("method", "accuracy", 0.99, 0.99, 0.99));

    var e = ClaimEvaluator.evaluate(ACCURACY, runs);
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("method has 3"), e.reason());
    assertArrayEquals(new double[] {0.90, 0.91, 0.89}, e.method().values(), 0);
    assertEquals(3, e.method().superseded());
  }

  @Test
  void noRunsAtAll() {
    var e = ClaimEvaluator.evaluate(ACCURACY, List.of());
    assertEquals(Verdict.INCONCLUSIVE, e.verdict());
    assertTrue(e.reason().contains("baseline has 0, method has 0"), e.reason());
    assertEquals(0, e.method().summary().n());
    assertNull(e.method().configHash());
  }

  // --- reproduce -----------------------------------------------------------------------------------------------

  static final Descriptor REPORTED_090 = reproduce("accuracy", Goal.MAXIMIZE, 0.90, 0.02, 5);

  static ClaimEvaluator.Evaluation reproduceOf(Descriptor d, double... values) {
    return ClaimEvaluator.evaluate(d, seeds("method", d.metric().name(), values));
  }

  @Test
  void insideTheToleranceBandIsPositive() {
    // mean 0.9, sd = sqrt(2e-6 / 4) = 0.000707, interval 0.9 ± 0.000878: inside 0.88 .. 0.92.
    var e = reproduceOf(REPORTED_090, 0.899, 0.900, 0.901, 0.900, 0.900);
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    assertTrue(e.reason().startsWith("Reproduced: accuracy = 0.9000"), e.reason());
    assertTrue(e.reason().contains("reported 0.9000 ± 0.0200"), e.reason());
    assertNull(e.welch());
    assertNull(e.baseline());
  }

  @Test
  void farBelowIsNegativeAndWorse() {
    var e = reproduceOf(REPORTED_090, 0.799, 0.800, 0.801, 0.800, 0.800);
    assertEquals(Verdict.NEGATIVE, e.verdict(), e.reason());
    assertTrue(e.reason().startsWith("Not reproduced"), e.reason());
    assertTrue(e.reason().contains("ours is worse"), e.reason());
  }

  @Test
  void farAboveIsNegativeAndBetterWhenMaximizing() {
    var e = reproduceOf(REPORTED_090, 0.979, 0.980, 0.981, 0.980, 0.980);
    assertEquals(Verdict.NEGATIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("ours is better"), e.reason());
  }

  @Test
  void forAMinimizedMetricBelowIsBetter() {
    Descriptor loss = reproduce("loss", Goal.MINIMIZE, 0.30, 0.02, 5);
    var below = reproduceOf(loss, 0.199, 0.200, 0.201, 0.200, 0.200);
    assertEquals(Verdict.NEGATIVE, below.verdict(), below.reason());
    assertTrue(below.reason().contains("ours is better"), below.reason());
    var above = reproduceOf(loss, 0.399, 0.400, 0.401, 0.400, 0.400);
    assertEquals(Verdict.NEGATIVE, above.verdict(), above.reason());
    assertTrue(above.reason().contains("ours is worse"), above.reason());
  }

  @Test
  void straddlingTheBandIsInconclusive() {
    // mean 0.9, sd = sqrt(58e-4 / 4) = 0.038079, half-width 2.776445 * 0.038079 / sqrt(5) = 0.047282:
    // 0.8527 .. 0.9473 reaches outside 0.88 .. 0.92 on both sides.
    var e = reproduceOf(REPORTED_090, 0.85, 0.95, 0.90, 0.88, 0.92);
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("reaches outside the tolerance band"), e.reason());
    assertEquals(0.9 - 0.047282, e.method().summary().ciLow(), 1e-5);

    // Reaching out of the band on one side only is also inconclusive.
    var oneSide = reproduceOf(REPORTED_090, 0.90, 0.93, 0.91, 0.92, 0.94);
    assertEquals(Verdict.INCONCLUSIVE, oneSide.verdict(), oneSide.reason());
  }

  @Test
  void reproduceCarriesItsTestAndRule() {
    // scipy.stats.ttest_1samp(v, popmean=0.9905) -> statistic -0.9065334715332544, pvalue 0.4159247169920475,
    // confidence_interval(0.95) -> (0.989362442442704, 0.9910775575572962)
    Descriptor lenet = reproduce("test_accuracy", Goal.MAXIMIZE, 0.9905, 0.002, 5);
    var e = reproduceOf(lenet, 0.9893, 0.9901, 0.9908, 0.9899, 0.9910);
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    assertEquals("one-sample t-test", e.test().test());
    assertEquals(0.4159247169920475, e.test().p(), 1e-10);
    assertEquals(0.989362442442704, e.test().interval().low(), 1e-11);
    assertTrue(e.rule().contains("reproduced when it lies inside the band"), e.rule());
  }

  @Test
  void anAccuracyIntervalStopsAtOne() {
    // v = {0.999, 1.0, 0.998, 1.0, 0.997}: scipy.stats.ttest_1samp(v, 0.99).confidence_interval(0.95)
    // -> (0.9971810682152912, 1.0004189317847085). An accuracy cannot pass 1: clipped, the interval lies
    // inside 0.99 ± 0.01 = 0.98 .. 1.00; unclipped it would reach outside.
    Descriptor d = reproduce("accuracy", Goal.MAXIMIZE, 0.99, 0.01, 5);
    var e = reproduceOf(d, 0.999, 1.0, 0.998, 1.0, 0.997);
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("95 % CI 0.9972 to 1.0000, clipped to the metric's range"), e.reason());
    assertEquals(1.0, e.method().summary().ciHigh(), 0);
    assertTrue(e.method().summary().clipped());
    // A metric not known to be a proportion is not clipped.
    var score = reproduceOf(reproduce("score", Goal.MAXIMIZE, 0.99, 0.01, 5), 0.999, 1.0, 0.998, 1.0, 0.997);
    assertEquals(Verdict.INCONCLUSIVE, score.verdict(), score.reason());
    assertEquals(1.0004189317847085, score.method().summary().ciHigh(), 1e-11);
  }

  @Test
  void identicalSeedsAreReportedAsZeroVariance() {
    var e = reproduceOf(REPORTED_090, 0.9, 0.9, 0.9, 0.9, 0.9);
    assertEquals(Verdict.POSITIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("zero variance: every seed gave the same value"), e.reason());
    assertTrue(e.method().summary().zeroVariance());
    assertTrue(e.test().zeroVariance());
  }

  @Test
  void reproduceNeedsItsSeedsToo() {
    var e = reproduceOf(REPORTED_090, 0.90, 0.90, 0.90, 0.90);
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(), e.reason());
    assertTrue(e.reason().contains("too few seeds (method has 4"), e.reason());
  }
}
