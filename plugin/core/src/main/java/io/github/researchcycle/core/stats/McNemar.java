package io.github.researchcycle.core.stats;

import static io.github.researchcycle.core.stats.Samples.num;

import java.util.Locale;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * McNemar's exact test for two classifiers on one shared test set (Dietterich 1998, "Approximate
 * statistical tests for comparing supervised classification learning algorithms"): only the examples
 * that exactly one of them gets right carry information, and under H0 (equal accuracy) each of those
 * is the method's with probability 1/2, so the count is tested with the two-sided exact binomial test.
 */
public final class McNemar {
  private McNemar() {}

  /**
   * The four cells of the paired table.
   *
   * @param methodOnly examples the method gets right and the baseline wrong
   * @param baselineOnly examples the baseline gets right and the method wrong
   * @param both examples both get right
   * @param neither examples both get wrong
   */
  public record Counts(int methodOnly, int baselineOnly, int both, int neither) {
    /** The number of examples. */
    public int total() {
      return methodOnly + baselineOnly + both + neither;
    }

    /** The examples exactly one arm gets right. */
    public int discordant() {
      return methodOnly + baselineOnly;
    }
  }

  /** Counts the paired table of two correctness vectors over the same examples. */
  public static Counts counts(boolean[] methodCorrect, boolean[] baselineCorrect) {
    if (methodCorrect.length != baselineCorrect.length) {
      throw new IllegalArgumentException("McNemar's test needs both arms on the same examples: "
          + methodCorrect.length + " and " + baselineCorrect.length + " predictions");
    }
    int m = 0;
    int b = 0;
    int both = 0;
    int neither = 0;
    for (int i = 0; i < methodCorrect.length; i++) {
      if (methodCorrect[i] && baselineCorrect[i]) {
        both++;
      } else if (methodCorrect[i]) {
        m++;
      } else if (baselineCorrect[i]) {
        b++;
      } else {
        neither++;
      }
    }
    return new Counts(m, b, both, neither);
  }

  /**
   * McNemar's exact test (two-sided) of equal accuracy; the estimate is the method's accuracy minus the
   * baseline's. The test gives no interval: pair it with {@link Bootstrap#accuracyDifference}.
   *
   * @throws IllegalArgumentException when the vectors differ in length or are empty
   */
  public static TestResult exact(boolean[] methodCorrect, boolean[] baselineCorrect) {
    Counts c = counts(methodCorrect, baselineCorrect);
    if (c.total() == 0) {
      throw new IllegalArgumentException("McNemar's test needs at least one example");
    }
    int discordant = c.discordant();
    double p = discordant == 0 ? 1
        : BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED).test(discordant, c.methodOnly(), 0.5)
            .getPValue();
    double estimate = (double) (c.methodOnly() - c.baselineOnly()) / c.total();
    String rule = String.format(Locale.ROOT, "McNemar's exact test on %,d shared test examples: %,d right only for "
        + "the method, %,d only for the baseline; two-sided binomial test of the %,d discordant examples against "
        + "1/2 (H0: equal accuracy), accuracy difference %s", c.total(), c.methodOnly(), c.baselineOnly(),
        discordant, num(estimate));
    return new TestResult("McNemar's exact test", "examples right only for the method", c.methodOnly(), Double.NaN,
        p, Alternative.TWO_SIDED, 0, estimate, Double.NaN, Interval.none(Double.NaN, "none: see the paired bootstrap"),
        c.total(), discordant == 0, rule);
  }
}
