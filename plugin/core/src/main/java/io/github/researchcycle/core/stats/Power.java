package io.github.researchcycle.core.stats;

import static io.github.researchcycle.core.stats.Samples.num;
import static io.github.researchcycle.core.stats.Samples.percent;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The power of a t-test over seeds, and how many seeds a design needs: exact, from the noncentral t
 * distribution (as R's {@code power.t.test} with {@code strict = FALSE}), started from the normal
 * approximation.
 *
 * <p>The test is one-sided at {@code alpha}: a verdict that asks the 95 % interval to lie above the
 * margin is the one-sided test at α = 0.025. {@code shift} is how far the true difference lies beyond the
 * null value; "power at the claim's margin" is {@code shift = margin}: the chance of showing a true
 * difference of one margin against no difference (or of two margins against the margin).
 *
 * <p>Commons Statistics has no noncentral t, so its tail is computed as the expectation over the
 * chi-squared variable V: P(T' > c) = E[Φ(δ - c √(V/ν))], integrated over V's quantiles with adaptive
 * Simpson's rule to 1e-10 (checked against scipy's {@code nct.sf}).
 */
public final class Power {
  /** Seeds beyond which the search gives up (an effect far smaller than its noise). */
  static final int MAX_SEEDS = 1_000_000;

  private Power() {}

  /** How the two arms are run. */
  public enum Design {
    /** Both arms on the same seeds; the sd is that of the per-seed differences. */
    PAIRED,
    /** Different seeds per arm, n in each; the sd is the common sd of one arm's values. */
    UNPAIRED;

    String words() {
      return this == PAIRED ? "a paired design (both arms on the same seeds)"
          : "an unpaired design (different seeds, the same number per arm)";
    }
  }

  /**
   * A power calculation.
   *
   * @param design paired or unpaired
   * @param n seeds (per arm for an unpaired design)
   * @param power the power with {@code n} seeds
   * @param shift the true difference beyond the null value that is to be shown
   * @param sd the pilot runs' standard deviation (of the differences when paired)
   * @param alpha the one-sided level
   * @param target the power asked for (NaN for the power of a given count)
   * @param normalApproximation the seeds the normal approximation asks for (before the noncentral t)
   * @param rule one sentence for the writeup
   */
  public record Result(Design design, int n, double power, double shift, double sd, double alpha, double target,
      int normalApproximation, String rule) {}

  /**
   * The sd that a design's power rests on, from pilot runs: for a paired design the sd of the per-seed
   * differences ({@code method[i]} and {@code baseline[i]} on one seed), for an unpaired one the pooled sd
   * of the two arms.
   *
   * @throws IllegalArgumentException with fewer than two runs in an arm, or unpaired pilot runs for a paired
   *     design
   */
  public static double pilotSd(Design design, double[] method, double[] baseline) {
    if (design == Design.PAIRED) {
      double[] d = Samples.differences(method, baseline);
      Samples.atLeast(2, d, "a paired pilot");
      return Samples.sd(d);
    }
    Samples.atLeast(2, method, "an unpaired pilot");
    Samples.atLeast(2, baseline, "an unpaired pilot");
    double sm = Samples.sd(method);
    double sb = Samples.sd(baseline);
    return Math.sqrt(((method.length - 1) * sm * sm + (baseline.length - 1) * sb * sb)
        / (method.length + baseline.length - 2));
  }

  /** The power of the one-sided t-test with {@code n} seeds, from the noncentral t. */
  public static double power(Design design, int n, double shift, double sd, double alpha) {
    check(shift, sd, alpha);
    if (n < 2) {
      throw new IllegalArgumentException("a t-test needs at least 2 seeds, not " + n);
    }
    if (sd == 0) {
      return shift > 0 ? 1 : alpha;
    }
    double df = design == Design.PAIRED ? n - 1 : 2.0 * n - 2;
    double delta = design == Design.PAIRED ? shift * Math.sqrt(n) / sd : shift / (sd * Math.sqrt(2.0 / n));
    double c = TDistribution.of(df).inverseSurvivalProbability(alpha);
    return noncentralTSurvival(c, df, delta);
  }

  /** The power that a pre-registered count of {@code n} seeds gives. */
  public static Result ofPlan(Design design, int n, double shift, double sd, double alpha) {
    double power = power(design, n, shift, sd, alpha);
    String rule = String.format(Locale.ROOT, "%s with %d seeds%s has %s power to show a difference of %s beyond the "
        + "null value (sd %s, one-sided α = %s, noncentral t)", capital(design.words()), n,
        design == Design.UNPAIRED ? " per arm" : "", percent(power), num(shift), num(sd), num(alpha));
    return new Result(design, n, power, shift, sd, alpha, Double.NaN, normalSeeds(design, shift, sd, alpha, 0.8),
        rule);
  }

  /**
   * The fewest seeds (at least 2) whose power reaches {@code target}.
   *
   * @throws IllegalArgumentException when the shift is not positive, or more than a million seeds would
   *     be needed
   */
  public static Result seedsNeeded(Design design, double shift, double sd, double alpha, double target) {
    check(shift, sd, alpha);
    if (!(shift > 0) || !(target > alpha && target < 1)) {
      throw new IllegalArgumentException("seeds for a power of " + target + " need a positive shift (not " + shift
          + ") and a target between α and 1");
    }
    int normal = normalSeeds(design, shift, sd, alpha, target);
    int n = Math.max(2, normal);
    while (n > 2 && power(design, n - 1, shift, sd, alpha) >= target) {
      n--;
    }
    while (power(design, n, shift, sd, alpha) < target) {
      if (++n > MAX_SEEDS) {
        throw new IllegalArgumentException("a difference of " + num(shift) + " with an sd of " + num(sd)
            + " needs more than " + MAX_SEEDS + " seeds");
      }
    }
    double power = power(design, n, shift, sd, alpha);
    String rule = sd == 0
        ? String.format(Locale.ROOT, "%s needs 2 seeds%s: the pilot runs have no spread (zero variance), so any "
            + "difference is exact", capital(design.words()), design == Design.UNPAIRED ? " per arm" : "")
        : String.format(Locale.ROOT, "%s needs %d seeds%s for %s power to show a difference of %s beyond the null "
            + "value (sd %s from the pilot runs, one-sided α = %s; noncentral t, the normal approximation says %d)",
            capital(design.words()), n, design == Design.UNPAIRED ? " per arm" : "", percent(target), num(shift),
            num(sd), num(alpha), normal);
    return new Result(design, n, power, shift, sd, alpha, target, normal, rule);
  }

  /** ⌈(z(1-α) + z(target))² sd² / shift²⌉, doubled per arm when unpaired. */
  static int normalSeeds(Design design, double shift, double sd, double alpha, double target) {
    NormalDistribution z = NormalDistribution.of(0, 1);
    double k = (z.inverseSurvivalProbability(alpha) + z.inverseCumulativeProbability(target)) * sd / shift;
    double n = (design == Design.PAIRED ? 1 : 2) * k * k;
    return n >= MAX_SEEDS ? MAX_SEEDS : (int) Math.ceil(n);
  }

  /** P(T > c) for T noncentral t with {@code df} degrees of freedom and noncentrality {@code delta}. */
  static double noncentralTSurvival(double c, double df, double delta) {
    NormalDistribution z = NormalDistribution.of(0, 1);
    if (c == 0) {
      return z.cumulativeProbability(delta);
    }
    ChiSquaredDistribution chi = ChiSquaredDistribution.of(df);
    DoubleUnaryOperator f = u -> {
      if (u <= 0) {
        return z.cumulativeProbability(delta);
      }
      if (u >= 1) {
        return c > 0 ? 0 : 1;
      }
      return z.cumulativeProbability(delta - c * Math.sqrt(chi.inverseCumulativeProbability(u) / df));
    };
    // Sixteen panels first, so that no feature of the integrand hides between the first few points.
    int panels = 16;
    double sum = 0;
    for (int k = 0; k < panels; k++) {
      double a = (double) k / panels;
      double b = (double) (k + 1) / panels;
      double fa = f.applyAsDouble(a);
      double fm = f.applyAsDouble((a + b) / 2);
      double fb = f.applyAsDouble(b);
      sum += simpson(f, a, b, fa, fm, fb, (b - a) * (fa + 4 * fm + fb) / 6, 1e-11, 30);
    }
    return Math.max(0, Math.min(1, sum));
  }

  private static double simpson(DoubleUnaryOperator f, double a, double b, double fa, double fm, double fb,
      double whole, double tolerance, int depth) {
    double m = (a + b) / 2;
    double lm = f.applyAsDouble((a + m) / 2);
    double rm = f.applyAsDouble((m + b) / 2);
    double left = (m - a) * (fa + 4 * lm + fm) / 6;
    double right = (b - m) * (fm + 4 * rm + fb) / 6;
    double delta = left + right - whole;
    if (depth <= 0 || Math.abs(delta) <= 15 * tolerance) {
      return left + right + delta / 15;
    }
    return simpson(f, a, m, fa, lm, fm, left, tolerance / 2, depth - 1)
        + simpson(f, m, b, fm, rm, fb, right, tolerance / 2, depth - 1);
  }

  private static void check(double shift, double sd, double alpha) {
    if (!(sd >= 0) || Double.isInfinite(sd) || Double.isNaN(shift)) {
      throw new IllegalArgumentException("power needs a finite sd of at least 0 (not " + sd + ") and a shift");
    }
    if (!(alpha > 0 && alpha < 0.5)) {
      throw new IllegalArgumentException("a one-sided level lies between 0 and 0.5, not " + alpha);
    }
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
