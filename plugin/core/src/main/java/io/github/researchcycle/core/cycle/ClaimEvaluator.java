package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.stats.Alternative;
import io.github.researchcycle.core.stats.Bounds;
import io.github.researchcycle.core.stats.Chooser;
import io.github.researchcycle.core.stats.Interval;
import io.github.researchcycle.core.stats.Reproduce;
import io.github.researchcycle.core.stats.TTests;
import io.github.researchcycle.core.stats.TestResult;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges the claim of {@code research.yaml} from the run records: per experiment the mean, standard
 * deviation and 95 % interval over seeds; for {@code improve}, the 95 % interval of the method's advantage
 * against the margin, from the paired t-test when both experiments ran on the same seeds and Welch's
 * otherwise; for {@code reproduce}, the interval of the mean against the reported value plus or minus the
 * tolerance. Intervals of a proportion (an accuracy) are kept inside [0, 1].
 *
 * <p>The runs that count for an experiment are its finished runs on a clean tree that logged the
 * metric, with the configuration of the most recent such run (older configurations are reported
 * as superseded, never mixed in), one run per seed (a seed run again is superseded by its first
 * run). Dirty, failed and crashed runs are counted but never used.
 */
public final class ClaimEvaluator {
  /** Seeds per claim experiment when research.yaml does not say. */
  public static final int DEFAULT_SEEDS = 5;

  private ClaimEvaluator() {}

  /**
   * The runs of one experiment that the claim uses.
   *
   * @param experiment the experiment name
   * @param used the runs whose metric enters the statistics, oldest first
   * @param values their metric values, in the same order
   * @param superseded finished clean runs not used: of an older configuration, or a repeat of a seed
   * @param configHash the configuration the used runs share, or null
   * @param summary the statistics of {@code values}
   */
  public record Sample(String experiment, List<RunRecord> used, double[] values, int superseded, String configHash,
      Statistics.Summary summary) {}

  /**
   * The evaluation of the claim.
   *
   * @param verdict POSITIVE, NEGATIVE or INCONCLUSIVE
   * @param reason why, in one sentence with the numbers
   * @param metric the metric's name
   * @param higherIsBetter its direction
   * @param baseline the baseline sample (null for a reproduce claim without a baseline experiment)
   * @param method the method sample
   * @param welch for improve: Welch's comparison of method against baseline, signed so that positive is better
   *     (kept whichever test the verdict uses)
   * @param seedsRequired seeds each experiment needs
   * @param test the test the verdict rests on, with every number: for improve the paired t-test (same
   *     seeds) or Welch's, of the advantage against the margin, one-sided; for reproduce the one-sample
   *     t-test and interval against the reported value. Null when there are too few seeds.
   * @param rule one sentence for the writeup naming the test and why it applies (improve), or the band rule
   *     (reproduce); null when there are too few seeds
   */
  public record Evaluation(Verdict verdict, String reason, String metric, boolean higherIsBetter, Sample baseline,
      Sample method, Statistics.Welch welch, int seedsRequired, TestResult test, String rule) {}

  /** Evaluates the claim of {@code descriptor} from {@code runs} (any order, any experiments). */
  public static Evaluation evaluate(Descriptor descriptor, List<RunRecord> runs) {
    String metric = descriptor.metric().name();
    boolean higher = descriptor.metric().goal() != Descriptor.Goal.MINIMIZE;
    int seeds = descriptor.seeds() == null ? DEFAULT_SEEDS : descriptor.seeds();
    Sample method = sample(descriptor.method(), metric, runs);
    Sample baseline = descriptor.baseline() == null ? null : sample(descriptor.baseline(), metric, runs);
    Descriptor.Claim claim = descriptor.claim();
    if (claim.type() == Descriptor.ClaimType.IMPROVE) {
      return improve(claim, metric, higher, seeds, baseline, method);
    }
    return reproduce(claim, metric, higher, seeds, baseline, method);
  }

  /** The runs of {@code experiment} that the statistics use. */
  public static Sample sample(String experiment, String metric, List<RunRecord> runs) {
    List<RunRecord> usable = runs.stream()
        .filter(r -> experiment.equals(r.experiment()))
        .filter(r -> r.status() == RunStatus.FINISHED && r.backsClaims())
        .filter(r -> r.git() != null && r.git().clean())
        .filter(r -> r.finalMetrics() != null && r.finalMetrics().get(metric) != null
            && Double.isFinite(r.finalMetrics().get(metric)))
        .sorted(Comparator.comparing(RunRecord::id))
        .toList();
    if (usable.isEmpty()) {
      return new Sample(experiment, List.of(), new double[0], 0, null, Statistics.summarize(new double[0]));
    }
    String hash = usable.get(usable.size() - 1).configHash();
    List<RunRecord> used = new ArrayList<>();
    Set<Long> seeds = new HashSet<>();
    for (RunRecord r : usable) {
      // A seed run again is the same draw, not a new one: only its first run counts.
      if (Objects.equals(hash, r.configHash()) && seeds.add(r.seed())) {
        used.add(r);
      }
    }
    double[] values = used.stream().mapToDouble(r -> r.finalMetrics().get(metric)).toArray();
    return new Sample(experiment, List.copyOf(used), values, usable.size() - used.size(), hash,
        Statistics.summarize(values, Bounds.ofMetric(metric, values)));
  }

  private static Evaluation improve(Descriptor.Claim claim, String metric, boolean higher, int seeds,
      Sample baseline, Sample method) {
    double margin = claim.margin() == null ? 0 : claim.margin();
    String few = tooFew(seeds, baseline, method);
    if (few != null) {
      return new Evaluation(Verdict.INCONCLUSIVE, few, metric, higher, baseline, method, null, seeds, null, null);
    }
    double[] m = higher ? method.values() : negate(method.values());
    double[] b = higher ? baseline.values() : negate(baseline.values());
    Statistics.Welch w = Statistics.welch(m, b);
    Bounds bounds = Bounds.ofMetric(metric, method.values(), baseline.values());
    Chooser.Choice choice = Chooser.choose(arm(method, m), arm(baseline, b), 1);
    TestResult test = choice.kind() == Chooser.Kind.PAIRED_T
        ? TTests.paired(bySeed(method, m), bySeed(baseline, b), margin, Alternative.GREATER, 0.95, bounds)
        : TTests.welch(m, b, margin, Alternative.GREATER, 0.95, bounds);
    Interval ci = test.interval();
    String how = test.zeroVariance()
        ? String.format(Locale.ROOT, "zero variance: %s, so the difference is exact; %s",
            choice.kind() == Chooser.Kind.PAIRED_T ? "it is the same on every seed"
                : "each experiment gave the same value on every run", choice.test())
        : String.format(Locale.ROOT, "95 %% CI %.4f to %.4f, %s, one-sided p = %.3g", ci.low(), ci.high(),
            choice.test(), test.p());
    String numbers = String.format(Locale.ROOT, "the method's advantage over the baseline (%s) is %.4f (%s) against "
        + "a margin of %.4f", higher ? "method minus baseline" : "baseline minus method", test.estimate(), how,
        margin);
    String rule = choice.sentence();
    if (ci.above(margin)) {
      return new Evaluation(Verdict.POSITIVE, "Positive: " + numbers + ".", metric, higher, baseline, method, w,
          seeds, test, rule);
    }
    if (ci.below(margin)) {
      return new Evaluation(Verdict.NEGATIVE, "Negative: " + numbers + ".", metric, higher, baseline, method, w,
          seeds, test, rule);
    }
    return new Evaluation(Verdict.INCONCLUSIVE, "Inconclusive: " + numbers + "; the interval straddles the margin.",
        metric, higher, baseline, method, w, seeds, test, rule);
  }

  /** The runs of a sample for the chooser, with their values as given (signed so that higher is better). */
  private static Chooser.Arm arm(Sample s, double[] values) {
    List<Chooser.Run> runs = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      runs.add(Chooser.Run.of(s.used().get(i).seed(), values[i]));
    }
    return new Chooser.Arm(s.experiment(), runs);
  }

  /** The values of a sample in the order of their seeds, so that two samples on the same seeds pair up. */
  private static double[] bySeed(Sample s, double[] values) {
    Map<Long, Double> bySeed = new TreeMap<>();
    for (int i = 0; i < values.length; i++) {
      bySeed.put(s.used().get(i).seed(), values[i]);
    }
    return bySeed.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static Evaluation reproduce(Descriptor.Claim claim, String metric, boolean higher, int seeds,
      Sample baseline, Sample method) {
    double reported = claim.reported();
    double tolerance = claim.tolerance() == null ? 0 : claim.tolerance();
    String few = tooFew(seeds, null, method);
    if (few != null) {
      return new Evaluation(Verdict.INCONCLUSIVE, few, metric, higher, baseline, method, null, seeds, null, null);
    }
    Statistics.Summary s = method.summary();
    Reproduce.Result r = Reproduce.check(method.values(), reported, tolerance, 0.95,
        Bounds.ofMetric(metric, method.values()));
    Interval ci = r.test().interval();
    String interval = r.test().zeroVariance()
        ? "zero variance: every seed gave the same value"
        : String.format(Locale.ROOT, "95 %% CI %.4f to %.4f%s", ci.low(), ci.high(),
            ci.clipped() ? ", clipped to the metric's range" : "");
    String numbers = String.format(Locale.ROOT, "%s = %.4f ± %.4f over %d seeds (%s) against the reported %.4f ± %.4f",
        metric, s.mean(), s.sd(), s.n(), interval, reported, tolerance);
    return switch (r.band()) {
      case INSIDE -> new Evaluation(Verdict.POSITIVE, "Reproduced: " + numbers + ".", metric, higher, baseline, method,
          null, seeds, r.test(), r.rule());
      case BELOW, ABOVE -> new Evaluation(Verdict.NEGATIVE, "Not reproduced: " + numbers + "; ours is "
          + ((r.band() == Reproduce.Band.ABOVE) == higher ? "better" : "worse")
          + " than the reported value beyond the tolerance.", metric, higher, baseline, method, null, seeds, r.test(),
          r.rule());
      case STRADDLES -> new Evaluation(Verdict.INCONCLUSIVE, "Inconclusive: " + numbers
          + "; the interval reaches outside the tolerance band.", metric, higher, baseline, method, null, seeds,
          r.test(), r.rule());
    };
  }

  private static String tooFew(int required, Sample baseline, Sample method) {
    // An interval needs two values at least, whatever research.yaml asks for.
    int seeds = Math.max(2, required);
    List<String> missing = new ArrayList<>();
    if (baseline != null && baseline.values().length < seeds) {
      missing.add(baseline.experiment() + " has " + baseline.values().length);
    }
    if (method.values().length < seeds) {
      missing.add(method.experiment() + " has " + method.values().length);
    }
    if (missing.isEmpty()) {
      return null;
    }
    return "Inconclusive: too few seeds (" + String.join(", ", missing) + " usable runs of " + seeds + " needed).";
  }

  private static double[] negate(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }
}
