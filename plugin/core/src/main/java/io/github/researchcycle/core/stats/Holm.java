package io.github.researchcycle.core.stats;

import static io.github.researchcycle.core.stats.Samples.num;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction (Scand. J. Statist. 6, 1979, 65–70) for several comparisons, such as
 * several methods against one baseline: it keeps the chance of any false rejection at α without
 * Bonferroni's loss of power. The adjusted p-values are those of R's {@code p.adjust(p, "holm")}.
 */
public final class Holm {
  private Holm() {}

  /**
   * One comparison after the correction.
   *
   * @param result the comparison as tested alone
   * @param adjustedP its Holm-adjusted p-value
   * @param rejected whether its null hypothesis is rejected at {@code alpha} after the correction
   * @param rule one sentence for the writeup
   */
  public record Adjusted(TestResult result, double adjustedP, boolean rejected, String rule) {}

  /**
   * The Holm-adjusted p-values, in the order given: with the m p-values sorted ascending,
   * p'(i) = max over j ≤ i of min(1, (m - j + 1) p(j)).
   *
   * @throws IllegalArgumentException when a p-value is not in [0, 1]
   */
  public static double[] adjust(double[] p) {
    for (double v : p) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("a p-value lies in [0, 1], not " + v);
      }
    }
    int m = p.length;
    int[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> p[i]))
        .mapToInt(Integer::intValue).toArray();
    double[] adjusted = new double[m];
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      int i = order[rank];
      running = Math.max(running, Math.min(1, (m - rank) * p[i]));
      adjusted[i] = running;
    }
    return adjusted;
  }

  /** Corrects {@code results} (each with its own p-value) at family-wise level {@code alpha}. */
  public static List<Adjusted> correct(List<TestResult> results, double alpha) {
    double[] p = results.stream().mapToDouble(TestResult::p).toArray();
    double[] adjusted = adjust(p);
    List<Adjusted> out = new ArrayList<>();
    for (int i = 0; i < adjusted.length; i++) {
      boolean rejected = adjusted[i] <= alpha;
      out.add(new Adjusted(results.get(i), adjusted[i], rejected, String.format(Locale.ROOT,
          "Holm's step-down correction over %d comparisons against the baseline: p = %s adjusted to %s, %s at "
              + "α = %s", adjusted.length, num(p[i]), num(adjusted[i]), rejected ? "rejected" : "not rejected",
          num(alpha))));
    }
    return List.copyOf(out);
  }
}
