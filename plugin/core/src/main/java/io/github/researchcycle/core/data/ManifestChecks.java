package io.github.researchcycle.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.model.DidYouMean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a manifest's {@code csv}, {@code columns} and {@code splits} blocks: every key is
 * one a reader knows, every value in range; a refusal names the file, the line, the key and the fix.
 */
final class ManifestChecks {
  /** The keys of {@code csv}, as the runtime's CSV loader reads them. */
  static final List<String> CSV_KEYS = List.of("header", "label", "categorical", "delimiter");
  /** The splits a loader knows, and {@code folds} (k-fold cross-validation instead of a validation split). */
  static final List<String> SPLITS = List.of("train", "validation", "test", "folds");
  /** The keys of one split: a file (csv), images and labels (idx), a generator, or a fraction of another split. */
  static final List<String> SPLIT_KEYS = List.of("file", "images", "labels", "generator", "from", "fraction", "seed",
      "stratify");
  /** The keys of {@code splits.folds}. */
  static final List<String> FOLD_KEYS = List.of("k", "seed", "stratify");

  private ManifestChecks() {}

  static void check(Path root, Path file, DataManifest m) {
    checkCsv(root, file, m);
    checkColumns(root, file, m);
    checkSplits(root, file, m);
  }

  private static void checkCsv(Path root, Path file, DataManifest m) {
    ObjectNode csv = m.csv();
    if (csv == null) {
      return;
    }
    known(root, file, "csv", csv, CSV_KEYS);
    JsonNode header = csv.get("header");
    require(root, file, header == null || header.isBoolean() || header.isTextual() && header.asText().equals("sklearn"),
        "csv.header", "`csv.header` must be true (the first line names the columns), false (no header line) or "
            + "sklearn (n_samples,n_features,class names), found `" + header + "`");
    JsonNode label = csv.get("label");
    require(root, file, label == null || label.isIntegralNumber() || label.isTextual() && !label.asText().isBlank(),
        "csv.label", "`csv.label` must be a column name from the header or an index (-1 = the last column), found `"
            + label + "`");
    require(root, file, label == null || !label.isTextual() || header != null && header.isBoolean()
        && header.asBoolean(), "csv.label", "`csv.label: " + (label == null ? "" : label.asText()) + "` names a "
        + "column, which needs `csv.header: true`. Fix: set `header: true`, or give the label as an index (-1 = last)");
    JsonNode categorical = csv.get("categorical");
    require(root, file, categorical == null || categorical.isBoolean(), "csv.categorical",
        "`csv.categorical` must be true (the label is a class) or false (a numeric target), found `" + categorical
            + "`");
    JsonNode delimiter = csv.get("delimiter");
    require(root, file, delimiter == null || delimiter.isTextual() && delimiter.asText().length() == 1,
        "csv.delimiter", "`csv.delimiter` must be one character, such as ',', ';' or \"\\t\", found `" + delimiter
            + "`");
  }

  private static void checkColumns(Path root, Path file, DataManifest m) {
    if (m.columns() == null) {
      return;
    }
    require(root, file, m.format() == DataManifest.Format.CSV, "columns",
        "`columns` describes the columns of a CSV file, and this data set's format is " + m.format().yaml()
            + ". Fix: remove `columns`");
    require(root, file, !m.columns().isEmpty(), "columns", "`columns` is empty. Fix: list every column, or remove "
        + "`columns`");
    boolean named = m.csv() != null && m.csv().path("header").asBoolean(false);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < m.columns().size(); i++) {
      DataManifest.Column c = m.columns().get(i);
      String at = "columns[" + i + "]";
      require(root, file, c != null && c.type() != null, at, "`" + at + ".type` is missing. Fix: number, integer or "
          + "category");
      require(root, file, !named || c.name() != null && !c.name().isBlank(), at, "`" + at + ".name` is missing: with "
          + "`csv.header: true` every column has the name of the header line");
      require(root, file, c.name() == null || names.add(c.name()), at, "column `" + c.name() + "` is listed twice");
      if (c.classes() != null) {
        require(root, file, !c.classes().isEmpty(), at, "`" + at + ".classes` is empty. Fix: list each class with "
            + "its count of rows, or remove `classes`");
        for (Map.Entry<String, Long> e : c.classes().entrySet()) {
          require(root, file, e.getValue() != null && e.getValue() >= 0, at, "`" + at + ".classes." + e.getKey()
              + "` must be the class's count of rows (0 or more), found `" + e.getValue() + "`");
        }
      }
    }
    JsonNode label = m.csv() == null ? null : m.csv().get("label");
    if (label != null && label.isTextual()) {
      require(root, file, names.contains(label.asText()), "csv.label", "the label column `" + label.asText()
          + "` is not among `columns` (" + String.join(", ", m.columns().stream().map(c -> String.valueOf(c.name()))
              .toList()) + DidYouMean.hint(label.asText(), names) + "). Fix: name one of them in `csv.label`");
    } else if (label != null && label.isIntegralNumber()) {
      int n = m.columns().size();
      require(root, file, label.asInt() >= -n && label.asInt() < n, "csv.label", "`csv.label: " + label.asInt()
          + "` is outside the " + n + " columns of `columns`. Fix: an index 0.." + (n - 1) + ", or -1 for the last");
    }
  }

  private static void checkSplits(Path root, Path file, DataManifest m) {
    ObjectNode splits = m.splits();
    if (splits == null) {
      return;
    }
    known(root, file, "splits", splits, SPLITS);
    require(root, file, splits.has("train"), "splits", "`splits.train` is missing. Fix: `train: {file: NAME}` (a "
        + "file of `files`)");
    require(root, file, !(splits.has("folds") && splits.has("validation")), "splits.folds", "`splits` has both "
        + "`validation` and `folds`: k folds take the place of the validation split. Fix: keep one of them");
    boolean generated = m.generated();
    Set<String> files = new HashSet<>();
    m.filesOrEmpty().forEach(f -> files.add(f.name()));
    Set<String> given = new HashSet<>();
    List<String> carved = new ArrayList<>();
    for (String split : List.of("train", "validation", "test")) {
      JsonNode s = splits.get(split);
      if (s == null) {
        continue;
      }
      String at = "splits." + split;
      require(root, file, s.isObject(), at, "`" + at + "` must be a mapping, such as `{file: NAME}` or "
          + "`{from: train, fraction: 0.1, seed: 42}`");
      known(root, file, at, (ObjectNode) s, SPLIT_KEYS);
      if (s.has("from")) {
        carved.add(split);
        for (String other : List.of("file", "images", "labels", "generator")) {
          require(root, file, !s.has(other), at + "." + other, "`" + at + "` is carved `from` another split, so it "
              + "has no `" + other + "`. Fix: keep `from`, `fraction`, `seed`, `stratify`, or only `" + other + "`");
        }
        checkFraction(root, file, at, s, generated);
        checkSeed(root, file, at, s, generated);
        checkStratify(root, file, at, s, m);
        continue;
      }
      for (String other : List.of("fraction", "seed", "stratify")) {
        require(root, file, !s.has(other), at + "." + other, "`" + at + "." + other + "` applies only to a split "
            + "carved `from` another. Fix: add `from: train`, or remove `" + other + "`");
      }
      if (generated) {
        require(root, file, s.has("generator") && s.size() == 1, at, "`" + at + "` of a generated data set is "
            + "`{generator: ...}` or carved `from` another split");
      } else {
        require(root, file, !s.has("generator"), at + ".generator", "`generator` is for `format: generated`. Fix: "
            + "name a file (`file: NAME`, or `images:` and `labels:` for idx)");
        require(root, file, s.has("file") != (s.has("images") || s.has("labels")), at, "`" + at + "` names its "
            + "data with `file: NAME` (csv) or `images:` and `labels:` (idx)");
        require(root, file, !s.has("images") || s.has("labels"), at, "`" + at + "` has `images` and no `labels`");
        require(root, file, !s.has("labels") || s.has("images"), at, "`" + at + "` has `labels` and no `images`");
        for (String key : List.of("file", "images", "labels")) {
          JsonNode v = s.get(key);
          if (v != null) {
            require(root, file, v.isTextual() && files.contains(v.asText()), at + "." + key, "`" + at + "." + key
                + ": " + v.asText() + "` is not a file of `files`" + DidYouMean.hint(v.asText(), files)
                + ". Fix: name one of " + String.join(", ", files.stream().sorted().toList()));
          }
        }
      }
      given.add(split);
    }
    for (String split : carved) {
      String from = splits.get(split).get("from").asText();
      require(root, file, given.contains(from), "splits." + split + ".from", "`splits." + split + ".from: " + from
          + "` must name a split given by a file" + (given.isEmpty() ? "" : " (" + String.join(", ",
              given.stream().sorted().toList()) + ")") + ". Fix: `from: train`");
    }
    double sum = 0;
    for (String split : carved) {
      JsonNode f = splits.get(split).get("fraction");
      sum += f.isNumber() ? f.asDouble() : 0;
    }
    require(root, file, sum < 1, "splits", "the carved fractions add up to " + sum + ", nothing would be left to "
        + "train on. Fix: make them add up to less than 1");
    JsonNode folds = splits.get("folds");
    if (folds != null) {
      require(root, file, folds.isObject(), "splits.folds", "`splits.folds` must be `{k: 5, seed: 42}`");
      known(root, file, "splits.folds", (ObjectNode) folds, FOLD_KEYS);
      JsonNode k = folds.get("k");
      require(root, file, k != null && k.isIntegralNumber() && k.asInt() >= 2, "splits.folds.k", "`splits.folds.k` "
          + "must be a whole number of folds, 2 or more, found `" + k + "`. Fix: `k: 5`");
      checkSeed(root, file, "splits.folds", folds, generated);
      checkStratify(root, file, "splits.folds", folds, m);
    }
  }

  private static void checkFraction(Path root, Path file, String at, JsonNode s, boolean generated) {
    JsonNode f = s.get("fraction");
    boolean named = generated && f != null && f.isTextual();
    require(root, file, named || f != null && f.isNumber() && f.asDouble() > 0 && f.asDouble() < 1,
        at + ".fraction", "`" + at + ".fraction` must be a number between 0 and 1 (exclusive), found `" + f
            + "`. Fix: `fraction: 0.1`");
  }

  private static void checkSeed(Path root, Path file, String at, JsonNode s, boolean generated) {
    JsonNode seed = s.get("seed");
    boolean named = generated && seed != null && seed.isTextual();
    require(root, file, named || seed != null && seed.isIntegralNumber(), at + ".seed", "`" + at + ".seed` must be a "
        + "whole number, recorded so that the split is the same on every machine, found `" + seed
        + "`. Fix: `seed: 42`");
  }

  private static void checkStratify(Path root, Path file, String at, JsonNode s, DataManifest m) {
    JsonNode st = s.get("stratify");
    require(root, file, st == null || st.isBoolean(), at + ".stratify", "`" + at + ".stratify` must be true (keep "
        + "each class's share) or false, found `" + st + "`");
    boolean numeric = m.csv() != null && m.csv().has("categorical") && !m.csv().get("categorical").asBoolean();
    require(root, file, st == null || !st.asBoolean() || !numeric, at + ".stratify", "`" + at + ".stratify: true` "
        + "needs classes, and `csv.categorical` is false (a numeric target). Fix: `stratify: false`");
  }

  private static void known(Path root, Path file, String at, ObjectNode node, List<String> keys) {
    node.fieldNames().forEachRemaining(k -> require(root, file, keys.contains(k), at + "." + k, "unknown key `"
        + at + "." + k + "`" + DidYouMean.hint(k, keys) + ". Known keys here: " + String.join(", ", keys)));
  }

  private static void require(Path root, Path file, boolean ok, String key, String problem) {
    DataManifests.require(root, file, ok, key, problem);
  }
}
