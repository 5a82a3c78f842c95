package io.github.researchcycle.core.stats;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Names the test that applies to two arms' runs, and why, in a sentence for the writeup: the corrected
 * resampled t-test when both ran on the same splits (k-fold or repeated random splits), the paired t-test
 * when both ran on the same seeds, McNemar's exact test (or the paired bootstrap over examples) when each
 * arm has one run with per-example results on a shared test set, and Welch's t-test otherwise. Several
 * comparisons against one baseline add Holm's correction.
 */
public final class Chooser {
  private Chooser() {}

  /**
   * One run of an arm.
   *
   * @param seed its seed
   * @param split the split (fold) it was trained and tested on, or null when there is one split
   * @param value its value of the metric
   * @param correct per test example, whether it was right (a classifier's accuracy), or null
   * @param perExample per test example, the metric's value, or null
   */
  public record Run(long seed, String split, double value, boolean[] correct, double[] perExample) {
    /** A run with a value only. */
    public static Run of(long seed, double value) {
      return new Run(seed, null, value, null, null);
    }
  }

  /**
   * The runs of one arm (the method or the baseline).
   *
   * @param name the experiment's name
   * @param runs its runs, one per seed (or per seed and split)
   */
  public record Arm(String name, List<Run> runs) {}

  /** The tests the chooser names. */
  public enum Kind {
    /** {@link TTests#paired}. */
    PAIRED_T,
    /** {@link TTests#correctedResampled}. */
    CORRECTED_RESAMPLED_T,
    /** {@link TTests#welch}. */
    WELCH_T,
    /** {@link McNemar#exact}. */
    MCNEMAR,
    /** {@link Bootstrap#pairedMeanDifference} over the examples. */
    PAIRED_BOOTSTRAP_EXAMPLES,
    /** Too few runs for any test. */
    NONE
  }

  /**
   * The test that applies.
   *
   * @param kind which test
   * @param n the shared seeds, splits or examples it runs on (for Welch's, the smaller arm)
   * @param test the test named with its data, e.g. "paired t-test over 5 shared seeds"
   * @param why why it applies
   * @param comparisons the comparisons against the baseline; above 1, Holm's correction applies
   * @param sentence the whole sentence for the writeup: the test, why, and Holm's correction when it applies
   */
  public record Choice(Kind kind, int n, String test, String why, int comparisons, String sentence) {
    /** Whether the p-values are to be corrected with {@link Holm}. */
    public boolean holm() {
      return comparisons > 1;
    }
  }

  /**
   * The test for {@code method} against {@code baseline}.
   *
   * @param comparisons how many methods are compared with the baseline (1 for one method)
   */
  public static Choice choose(Arm method, Arm baseline, int comparisons) {
    List<Run> m = method.runs();
    List<Run> b = baseline.runs();
    if (!m.isEmpty() && !b.isEmpty() && m.stream().allMatch(r -> r.split() != null)
        && b.stream().allMatch(r -> r.split() != null)) {
      Set<String> mk = keys(m, true);
      Set<String> bk = keys(b, true);
      if (mk.size() == m.size() && mk.equals(bk) && mk.size() >= 2) {
        return choice(Kind.CORRECTED_RESAMPLED_T, mk.size(), String.format(Locale.ROOT, "Nadeau and Bengio's "
            + "corrected resampled t-test over %d shared splits", mk.size()), String.format(Locale.ROOT,
            "both arms ran on the same %d splits, whose training sets overlap, so a plain paired t-test would "
                + "understate the variance", mk.size()), comparisons);
      }
    }
    Set<String> ms = keys(m, false);
    Set<String> bs = keys(b, false);
    if (ms.size() == m.size() && ms.equals(bs) && ms.size() >= 2) {
      return choice(Kind.PAIRED_T, ms.size(), String.format(Locale.ROOT, "paired t-test over %d shared seeds",
          ms.size()), String.format(Locale.ROOT, "both arms ran on the same %d seeds, so each seed's difference "
              + "cancels what the seed does to both", ms.size()), comparisons);
    }
    if (m.size() >= 2 && b.size() >= 2) {
      Set<String> shared = new HashSet<>(ms);
      shared.retainAll(bs);
      return choice(Kind.WELCH_T, Math.min(m.size(), b.size()), String.format(Locale.ROOT,
          "Welch's t-test over %d and %d runs", m.size(), b.size()), String.format(Locale.ROOT, "the arms did not "
              + "run on the same seeds (%d shared), so they are compared unpaired, without assuming equal variances",
          shared.size()), comparisons);
    }
    if (m.size() == 1 && b.size() == 1) {
      Run rm = m.get(0);
      Run rb = b.get(0);
      if (rm.correct() != null && rb.correct() != null && rm.correct().length == rb.correct().length
          && rm.correct().length > 0) {
        int n = rm.correct().length;
        return choice(Kind.MCNEMAR, n, String.format(Locale.ROOT, "McNemar's exact test on %,d shared test examples",
            n), "each arm has one run, with each example's correctness on the same test set", comparisons);
      }
      if (rm.perExample() != null && rb.perExample() != null && rm.perExample().length == rb.perExample().length
          && rm.perExample().length >= 2) {
        int n = rm.perExample().length;
        return choice(Kind.PAIRED_BOOTSTRAP_EXAMPLES, n, String.format(Locale.ROOT,
            "paired bootstrap over %,d shared test examples", n), "each arm has one run, with each example's "
                + "metric on the same test set", comparisons);
      }
    }
    return choice(Kind.NONE, 0, "no test", String.format(Locale.ROOT, "each arm needs two runs, or one run with "
        + "per-example results on a shared test set (%s has %d, %s has %d)", method.name(), m.size(),
        baseline.name(), b.size()), comparisons);
  }

  private static Choice choice(Kind kind, int n, String test, String why, int comparisons) {
    String holm = comparisons > 1 && kind != Kind.NONE ? String.format(Locale.ROOT, ", with Holm's correction over "
        + "%d comparisons against the baseline", comparisons) : "";
    return new Choice(kind, n, test, why, comparisons, test + ": " + why + holm + ".");
  }

  private static Set<String> keys(List<Run> runs, boolean withSplit) {
    Set<String> keys = new HashSet<>();
    for (Run r : runs) {
      keys.add(withSplit ? r.seed() + "/" + Objects.requireNonNull(r.split()) : Long.toString(r.seed()));
    }
    return keys;
  }
}
