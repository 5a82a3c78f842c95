package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks of csv, columns and splits: every key known, every value in range, one line with file, key and fix. */
class ManifestChecksTest {
  @TempDir Path root;

  static final String IRIS = String.join("\n",
      "name: iris",
      "licence: 'CC BY 4.0'",
      "format: csv",
      "sources:",
      "  - file: {path: data/raw/iris.csv}",
      "files:",
      "  - {name: iris.csv, size: 4551, sha256: " + "a".repeat(64) + "}",
      "  - {name: iris-test.csv, size: 451, sha256: " + "b".repeat(64) + "}",
      "csv:",
      "  header: true",
      "  label: species",
      "  categorical: true",
      "  delimiter: ','",
      "columns:",
      "  - {name: sepal_length, type: number}",
      "  - {name: species, type: category, classes: {setosa: 50, versicolor: 50}}",
      "splits:",
      "  train: {file: iris.csv}",
      "  test: {from: train, fraction: 0.2, seed: 42, stratify: true}",
      "  validation: {from: train, fraction: 0.1, seed: 42, stratify: true}",
      "");

  DataManifest load(String text) {
    DataFixtures.writeManifest(root, "iris", text);
    return DataManifests.load(root, "iris");
  }

  String refused(String text) {
    DataFixtures.writeManifest(root, "iris", text);
    return assertThrows(ResearchException.class, () -> DataManifests.load(root, "iris")).getMessage();
  }

  @Test
  void theFullSchemaIsAccepted() {
    DataManifest m = load(IRIS);
    assertEquals(2, m.columns().size());
    assertEquals(50L, m.columns().get(1).classes().get("versicolor"));
    assertEquals(DataManifest.ColumnType.CATEGORY, m.columns().get(1).type());
    load(IRIS.replace("  test: {from: train, fraction: 0.2, seed: 42, stratify: true}", "  test: {file: iris-test.csv}")
        .replace("  validation: {from: train, fraction: 0.1, seed: 42, stratify: true}",
            "  folds: {k: 5, seed: 7, stratify: true}"));
  }

  @Test
  void everyManifestOfTheArchetypePasses() throws IOException {
    Path dir = Path.of("../../archetype/src/main/resources/archetype-resources/data");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "the archetype's manifests: " + files);
    for (Path f : files) {
      DataManifests.load(dir.getParent(), f);
    }
  }

  @Test
  void everyManifestOfTheSamplesPasses() throws IOException {
    List<Path> samples;
    try (Stream<Path> s = Files.list(Path.of("../../samples"))) {
      samples = s.filter(p -> Files.isDirectory(p.resolve("data"))).sorted().toList();
    }
    assertTrue(samples.size() >= 2, "the samples: " + samples);
    for (Path sample : samples) {
      assertTrue(DataManifests.loadAll(sample).size() >= 1, sample.toString());
    }
  }

  @Test
  void fractionOutsideZeroToOneIsRefused() {
    String e = refused(IRIS.replace("fraction: 0.2", "fraction: 1.5"));
    assertTrue(e.startsWith("data/iris.yaml line 19: `splits.test.fraction` must be a number between 0 and 1"), e);
    assertTrue(e.contains("Fix: `fraction: 0.1`"), e);
    assertTrue(refused(IRIS.replace("fraction: 0.2", "fraction: 0")).contains("splits.test.fraction"));
    assertTrue(refused(IRIS.replace("fraction: 0.2", "fraction: 'a fifth'")).contains("splits.test.fraction"));
    assertTrue(refused(IRIS.replace("fraction: 0.2", "fraction: 0.95")).contains("add up to 1.05"));
  }

  @Test
  void seedMustBeAWholeNumber() {
    String e = refused(IRIS.replace("fraction: 0.1, seed: 42", "fraction: 0.1, seed: 4.2"));
    assertTrue(e.startsWith("data/iris.yaml line 20: `splits.validation.seed` must be a whole number"), e);
    assertTrue(refused(IRIS.replace("fraction: 0.1, seed: 42, ", "fraction: 0.1, "))
        .contains("`splits.validation.seed` must be a whole number"));
  }

  @Test
  void fromMustNameASplitGivenByAFile() {
    String e = refused(IRIS.replace("validation: {from: train", "validation: {from: test"));
    assertTrue(e.contains("`splits.validation.from: test` must name a split given by a file (train)"), e);
    assertTrue(refused(IRIS.replace("train: {file: iris.csv}", "train: {file: iris.cvs}"))
        .contains("`splits.train.file: iris.cvs` is not a file of `files` (did you mean"));
  }

  @Test
  void labelMustBeAmongTheColumns() {
    String e = refused(IRIS.replace("label: species", "label: specie"));
    assertTrue(e.startsWith("data/iris.yaml line 11: the label column `specie` is not among `columns`"), e);
    assertTrue(e.contains("Fix:"), e);
    assertTrue(refused(IRIS.replace("label: species", "label: 2")).contains("outside the 2 columns"));
  }

  @Test
  void unknownKeysAreRefusedWithAHint() {
    assertTrue(refused(IRIS.replace("  delimiter: ','", "  delimter: ','"))
        .contains("unknown key `csv.delimter` (did you mean"));
    assertTrue(refused(IRIS.replace("  train: {file: iris.csv}", "  train: {file: iris.csv}\n  holdout: {file: x}"))
        .contains("unknown key `splits.holdout`"));
    assertTrue(refused(IRIS.replace("seed: 42, stratify: true}\n  val", "seed: 42, stratfy: true}\n  val"))
        .contains("unknown key `splits.test.stratfy` (did you mean"));
    assertTrue(refused(IRIS.replace("{name: sepal_length, type: number}", "{name: sepal_length, typ: number}"))
        .contains("unknown key `columns[0].typ`"));
  }

  @Test
  void badValuesAreRefused() {
    assertTrue(refused(IRIS.replace("type: number", "type: float")).contains("`columns[0].type` must be one of "
        + "`number`, `integer`, `category`"));
    assertTrue(refused(IRIS.replace("header: true", "header: maybe")).contains("`csv.header` must be true"));
    assertTrue(refused(IRIS.replace("delimiter: ','", "delimiter: ',,'")).contains("one character"));
    assertTrue(refused(IRIS.replace("categorical: true", "categorical: 'yes'")).contains("`csv.categorical`"));
    String numeric = refused(IRIS.replace("categorical: true", "categorical: false"));
    assertTrue(numeric.contains(".stratify: true` needs classes"), numeric);
    assertTrue(refused(IRIS.replace("header: true", "header: false")).contains("names a column, which needs "
        + "`csv.header: true`"));
    assertTrue(refused(IRIS.replace("versicolor: 50", "versicolor: -1")).contains("count of rows"));
    assertTrue(refused(IRIS.replace("{name: sepal_length, type: number}", "{name: species, type: number}"))
        .contains("column `species` is listed twice"));
  }

  @Test
  void foldsAreAnAlternativeToValidation() {
    String e = refused(IRIS + "  folds: {k: 5, seed: 42}\n");
    assertTrue(e.contains("both `validation` and `folds`"), e);
    String k = refused(IRIS.replace("  validation: {from: train, fraction: 0.1, seed: 42, stratify: true}",
        "  folds: {k: 1, seed: 42}"));
    assertTrue(k.contains("`splits.folds.k` must be a whole number of folds, 2 or more"), k);
  }

  @Test
  void aCarvedSplitNamesNoFileAndAGivenOneNoFraction() {
    assertTrue(refused(IRIS.replace("test: {from: train,", "test: {file: iris.csv, from: train,"))
        .contains("carved `from` another split, so it has no `file`"));
    assertTrue(refused(IRIS.replace("train: {file: iris.csv}", "train: {file: iris.csv, seed: 3}"))
        .contains("`splits.train.seed` applies only to a split carved `from` another"));
    assertTrue(refused(IRIS.replace("  train: {file: iris.csv}\n", "")).contains("`splits.train` is missing"));
  }

  @Test
  void columnsBelongToCsv() {
    String idx = IRIS.replace("format: csv", "format: idx");
    assertTrue(refused(idx).contains("`columns` describes the columns of a CSV file"));
  }
}
