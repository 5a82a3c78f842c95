package io.github.researchcycle.core.stats;

import java.util.Locale;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.StandardDeviation;

/** Helpers shared by the tests: means, spreads, differences and the checks of their inputs. */
final class Samples {
  /**
   * Differences smaller than this share of the values' size are rounding, not spread: 0.91 - 0.81 and
   * 0.90 - 0.80 differ in the 17th digit, and a metric is never logged with that many.
   */
  private static final double ROUNDING = 1e-12;

  private Samples() {}

  static double mean(double[] values) {
    return Mean.of(values).getAsDouble();
  }

  /** The sample standard deviation (n - 1). */
  static double sd(double[] values) {
    return StandardDeviation.of(values).getAsDouble();
  }

  /** {@code a[i] - b[i]}; the arrays must be of one length. */
  static double[] differences(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired samples need one value per pair: " + a.length + " and "
          + b.length + " values");
    }
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  /** Whether {@code values} are all equal up to rounding at the size of {@code scaleOf}'s values. */
  static boolean constant(double[] values, double[]... scaleOf) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double scale = 0;
    for (double[] s : scaleOf) {
      for (double v : s) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    return max - min <= ROUNDING * scale;
  }

  static void atLeast(int needed, double[] values, String what) {
    if (values.length < needed) {
      throw new IllegalArgumentException(what + " needs at least " + needed + " values, not " + values.length);
    }
  }

  static void level(double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("a confidence level lies between 0 and 1, not " + level);
    }
  }

  /** A number for a sentence: four significant digits, never a locale's digits or separators. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    return String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)",
        "$1");
  }

  /** "95 %" for 0.95. */
  static String percent(double level) {
    return num(level * 100) + " %";
  }
}
