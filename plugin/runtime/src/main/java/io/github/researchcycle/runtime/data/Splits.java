package io.github.researchcycle.runtime.data;

import io.github.researchcycle.runtime.Run;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic train/validation splits and normalisation statistics computed on the training
 * split only.
 *
 * <p>A split is a permutation of 0..n-1 drawn with {@code java.util.Random(seed)} (Fisher–Yates,
 * whose sequence Java specifies, so it is the same on every JVM and run): the first
 * {@code round(n × fraction)} records of the permutation are the validation split, the rest the
 * training split; each split lists its record indices in ascending order.
 */
public final class Splits {
  private Splits() {}

  /** The record indices of each split, ascending. */
  public record Split(int[] train, int[] validation, long seed, double fraction) {
    /** What {@code environment.json} records of this split. */
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seed", seed);
      m.put("validationFraction", fraction);
      m.put("train", train.length);
      m.put("validation", validation.length);
      return m;
    }
  }

  /** Splits {@code n} records: {@code round(n × validationFraction)} go to validation. */
  public static Split split(int n, double validationFraction, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("record count must not be negative, found " + n);
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), found " + validationFraction);
    }
    int[] order = SplitPlan.range(n);
    SplitPlan.shuffle(order, new Random(seed));
    int validation = (int) Math.round(n * validationFraction);
    int[] v = Arrays.copyOfRange(order, 0, validation);
    int[] t = Arrays.copyOfRange(order, validation, n);
    Arrays.sort(v);
    Arrays.sort(t);
    return new Split(t, v, seed, validationFraction);
  }

  /**
   * Normalisation statistics: {@code (x - mean) / std}, per feature ({@code mean.length == d}) or
   * one scalar for all features ({@code mean.length == 1}, images). A standard deviation of 0 (a
   * constant feature) is replaced by 1. {@code records} is how many training records they come from.
   */
  public record Normalisation(float[] mean, float[] std, int records) {
    /** Per-feature statistics of the rows {@code rows} of {@code x} ({@code d} values per row). */
    public static Normalisation perFeature(float[] x, int d, int[] rows) {
      double[] sum = new double[d];
      double[] sq = new double[d];
      for (int r : rows) {
        int base = r * d;
        for (int j = 0; j < d; j++) {
          double v = x[base + j];
          sum[j] += v;
          sq[j] += v * v;
        }
      }
      float[] mean = new float[d];
      float[] std = new float[d];
      for (int j = 0; j < d; j++) {
        double m = rows.length == 0 ? 0 : sum[j] / rows.length;
        double var = rows.length == 0 ? 0 : Math.max(0, sq[j] / rows.length - m * m);
        mean[j] = (float) m;
        std[j] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
      }
      return new Normalisation(mean, std, rows.length);
    }

    /** One mean and standard deviation over every value of the rows {@code rows} of {@code x}. */
    public static Normalisation scalar(float[] x, int d, int[] rows) {
      double sum = 0;
      double sq = 0;
      for (int r : rows) {
        int base = r * d;
        double s = 0;
        double q = 0;
        for (int j = 0; j < d; j++) {
          double v = x[base + j];
          s += v;
          q += v * v;
        }
        sum += s;
        sq += q;
      }
      double count = (double) rows.length * d;
      double m = count == 0 ? 0 : sum / count;
      double var = count == 0 ? 0 : Math.max(0, sq / count - m * m);
      return new Normalisation(new float[] {(float) m}, new float[] {var > 1e-12 ? (float) Math.sqrt(var) : 1f},
          rows.length);
    }

    /** Normalises {@code x} ({@code d} values per row) in place. */
    public void apply(float[] x, int d) {
      if (mean.length == 1) {
        float m = mean[0];
        float inv = 1f / std[0];
        for (int i = 0; i < x.length; i++) {
          x[i] = (x[i] - m) * inv;
        }
        return;
      }
      if (mean.length != d) {
        throw new IllegalArgumentException("statistics for " + mean.length + " features, data has " + d);
      }
      float[] inv = new float[d];
      for (int j = 0; j < d; j++) {
        inv[j] = 1f / std[j];
      }
      for (int base = 0; base < x.length; base += d) {
        for (int j = 0; j < d; j++) {
          x[base + j] = (x[base + j] - mean[j]) * inv[j];
        }
      }
    }

    /** What {@code environment.json} records: kind, mean, std and the training records they come from. */
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", mean.length == 1 ? "scalar" : "per-feature");
      m.put("computedOn", "train");
      m.put("records", records);
      m.put("mean", mean.length == 1 ? (Object) mean[0] : mean);
      m.put("std", std.length == 1 ? (Object) std[0] : std);
      return m;
    }
  }

  /**
   * Computes the statistics on the training rows of {@code x} only, normalises all of {@code x} in
   * place with them, and records them (with the split) via {@code run.describe("normalisation", …)}
   * when {@code run} is not null.
   */
  public static Normalisation normalise(float[] x, int d, Split split, boolean scalar, Run run) {
    Normalisation stats = scalar ? Normalisation.scalar(x, d, split.train()) : Normalisation.perFeature(x, d, split.train());
    stats.apply(x, d);
    record(run, stats, split);
    return stats;
  }

  static void record(Run run, Normalisation stats, Split split) {
    record(run, stats, split.describe());
  }

  static void record(Run run, Normalisation stats, Map<String, Object> split) {
    if (run != null) {
      Map<String, Object> m = stats.describe();
      m.put("split", split);
      run.describe("normalisation", m);
    }
  }
}
