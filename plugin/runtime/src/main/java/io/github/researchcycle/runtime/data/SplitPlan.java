package io.github.researchcycle.runtime.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * How the records of a training file are divided, as a manifest's {@code splits} block declares it:
 * a test split carved first (when the data set gives no test file), then a validation split carved
 * from what is left, or k folds of which one is the validation split. Each carve is drawn with its
 * own recorded seed, optionally stratified by the label.
 *
 * <p>A validation carve that is not stratified, with no test carve before it, is exactly
 * {@link Splits#split}: records of earlier runs keep their splits.
 *
 * @param test the test carve, or null (a test file, or none)
 * @param validation the validation carve, or null (none; or folds)
 * @param folds the folds, or null
 */
public record SplitPlan(Carve test, Carve validation, Folds folds) {
  /**
   * A fraction of the records drawn with a seed.
   *
   * @param fraction in [0, 1)
   * @param seed the split seed
   * @param stratify whether each class gives the same fraction
   */
  public record Carve(double fraction, long seed, boolean stratify) {}

  /**
   * K folds; fold {@code fold} (from 0) is the validation split.
   *
   * @param k the number of folds, at least 2
   * @param seed the split seed
   * @param stratify whether each fold holds each class in proportion
   * @param fold the fold held out
   */
  public record Folds(int k, long seed, boolean stratify, int fold) {}

  /** The record indices of each part, ascending, and what {@code environment.json} records of them. */
  public record Parts(int[] train, int[] validation, int[] test, Map<String, Object> describe) {}

  /** A validation split only (the loaders' earlier arguments). */
  public static SplitPlan validationOnly(double fraction, long seed) {
    return new SplitPlan(null, new Carve(fraction, seed, false), null);
  }

  /** Divides records {@code 0..n-1} with labels {@code labels} (needed only to stratify). */
  public Parts apply(int n, float[] labels) {
    int[] all = range(n);
    int[] test = new int[0];
    int[] rest = all;
    Map<String, Object> d = new LinkedHashMap<>();
    if (this.test != null && this.test.fraction() > 0) {
      int[][] cut = carve(all, labels, this.test);
      test = cut[0];
      rest = cut[1];
      d.put("test", describe(this.test, test.length));
    }
    int[] validation = new int[0];
    int[] train = rest;
    if (folds != null) {
      int[][] cut = fold(rest, labels, folds);
      validation = cut[0];
      train = cut[1];
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("k", folds.k());
      f.put("fold", folds.fold());
      f.put("seed", folds.seed());
      f.put("stratify", folds.stratify());
      f.put("records", validation.length);
      d.put("folds", f);
    } else if (this.validation != null && this.validation.fraction() > 0) {
      int[][] cut = carve(rest, labels, this.validation);
      validation = cut[0];
      train = cut[1];
    }
    // Kept under these names: environment.json of earlier runs recorded them so.
    d.put("seed", this.validation == null ? (folds == null ? 0 : folds.seed()) : this.validation.seed());
    d.put("validationFraction", this.validation == null ? 0.0 : this.validation.fraction());
    if (this.validation != null && this.validation.stratify()) {
      d.put("stratify", true);
    }
    d.put("train", train.length);
    d.put("validation", validation.length);
    return new Parts(train, validation, test, d);
  }

  private static Map<String, Object> describe(Carve c, int records) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fraction", c.fraction());
    m.put("seed", c.seed());
    m.put("stratify", c.stratify());
    m.put("records", records);
    return m;
  }

  /** {carved, kept}, each ascending. */
  private static int[][] carve(int[] rows, float[] labels, Carve c) {
    if (!c.stratify()) {
      Splits.Split s = Splits.split(rows.length, c.fraction(), c.seed());
      return new int[][] {pick(rows, s.validation()), pick(rows, s.train())};
    }
    Random random = new Random(c.seed());
    List<Integer> carved = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    for (int[] members : byClass(rows, labels).values()) {
      shuffle(members, random);
      int take = (int) Math.round(members.length * c.fraction());
      for (int i = 0; i < members.length; i++) {
        (i < take ? carved : kept).add(members[i]);
      }
    }
    return new int[][] {sorted(carved), sorted(kept)};
  }

  /** {fold, the others}: records dealt round-robin into k folds after a seeded shuffle (per class when stratified). */
  private static int[][] fold(int[] rows, float[] labels, Folds f) {
    Random random = new Random(f.seed());
    List<Integer> held = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    Map<Float, int[]> groups = f.stratify() ? byClass(rows, labels) : Map.of(0f, rows.clone());
    int dealt = 0;
    for (int[] members : groups.values()) {
      shuffle(members, random);
      for (int m : members) {
        (dealt++ % f.k() == f.fold() ? held : kept).add(m);
      }
    }
    return new int[][] {sorted(held), sorted(kept)};
  }

  private static Map<Float, int[]> byClass(int[] rows, float[] labels) {
    if (labels == null) {
      throw new IllegalArgumentException("a stratified split needs the labels");
    }
    Map<Float, List<Integer>> groups = new TreeMap<>();
    for (int r : rows) {
      groups.computeIfAbsent(labels[r], k -> new ArrayList<>()).add(r);
    }
    Map<Float, int[]> out = new TreeMap<>();
    groups.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  /** Fisher–Yates with {@code random}, whose sequence Java specifies: the same order on every JVM. */
  static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static int[] pick(int[] rows, int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = rows[positions[i]];
    }
    return out;
  }

  private static int[] sorted(List<Integer> list) {
    int[] a = list.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(a);
    return a;
  }

  static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
