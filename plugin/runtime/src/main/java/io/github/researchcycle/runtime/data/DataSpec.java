package io.github.researchcycle.runtime.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to read a data set, as its manifest {@code data/NAME.yaml} declares it: the format, the CSV
 * options, the files of the training and test splits and how the validation (and a test split
 * without a file of its own) is carved. The Maven side has checked the manifest's keys and values
 * before the run started; this reads what the loaders need.
 *
 * @param name the data set's name
 * @param format {@code idx}, {@code csv} or {@code generated}
 * @param csv the CSV options (defaults for other formats)
 * @param trainFile the training file (CSV), or null
 * @param trainImages the training images (IDX), or null for the standard names
 * @param trainLabels the training labels (IDX), or null
 * @param testFile the test file (CSV), or null
 * @param testImages the test images (IDX), or null
 * @param testLabels the test labels (IDX), or null
 * @param plan the carves: test, validation or folds
 */
public record DataSpec(String name, String format, Csv.Options csv, String trainFile, String trainImages,
    String trainLabels, String testFile, String testImages, String testLabels, SplitPlan plan) {

  /** The manifest of data set {@code name} in the research repository at {@code projectDir}. */
  public static DataSpec read(Path projectDir, String name) {
    Path file = projectDir.resolve("data").resolve(name + ".yaml");
    if (!Files.isRegularFile(file)) {
      throw new ResearchException("The experiment's `data.name` is `" + name + "`, and there is no data/" + name
          + ".yaml. Fix: name a manifest in data/, or write one with mvn research:data -Dresearch.data.add=FILE.");
    }
    try {
      return parse(new YAMLMapper().readTree(file.toFile()), name);
    } catch (IOException e) {
      throw new ResearchException("Cannot read " + file + ": " + e.getMessage() + ". Fix: check it with "
          + "mvn research:data.", e);
    }
  }

  /** The spec of a parsed manifest. */
  static DataSpec parse(JsonNode m, String name) {
    String format = m.path("format").asText("csv");
    JsonNode c = m.path("csv");
    Csv.Options options = Csv.Options.defaults();
    if (c.has("header")) {
      options.header(Csv.Header.parse(c.get("header").asText()));
    }
    if (c.has("label")) {
      options.label(c.get("label").asText());
    }
    if (c.has("categorical")) {
      options.categorical(c.get("categorical").asBoolean());
    }
    if (c.has("delimiter") && !c.get("delimiter").asText().isEmpty()) {
      options.delimiter(c.get("delimiter").asText().charAt(0));
    }
    // The label's classes as research:data found them: numbered 0..k-1 in the manifest's order.
    for (JsonNode col : m.path("columns")) {
      if (col.path("name").asText().equals(options.label()) && col.path("classes").isObject()) {
        List<String> classes = new ArrayList<>();
        col.get("classes").fieldNames().forEachRemaining(classes::add);
        options.classes(classes);
      }
    }
    JsonNode splits = m.path("splits");
    JsonNode train = splits.path("train");
    JsonNode test = splits.path("test");
    String trainFile = text(train, "file");
    if (trainFile == null && format.equals("csv") && m.path("files").size() == 1) {
      trainFile = m.path("files").get(0).path("name").asText();
    }
    SplitPlan.Carve testCarve = test.has("from") ? carve(test) : null;
    SplitPlan.Carve validation = splits.path("validation").has("from") ? carve(splits.get("validation")) : null;
    SplitPlan.Folds folds = null;
    if (splits.has("folds")) {
      JsonNode f = splits.get("folds");
      folds = new SplitPlan.Folds(f.path("k").asInt(5), f.path("seed").asLong(0), f.path("stratify").asBoolean(false),
          0);
    }
    return new DataSpec(name, format, options, trainFile, text(train, "images"), text(train, "labels"),
        text(test, "file"), text(test, "images"), text(test, "labels"), new SplitPlan(testCarve, validation, folds));
  }

  private static SplitPlan.Carve carve(JsonNode n) {
    return new SplitPlan.Carve(n.path("fraction").asDouble(0), n.path("seed").asLong(0),
        n.path("stratify").asBoolean(false));
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }

  /**
   * The plan with the experiment's overrides: {@code data.validation} (a fraction, 0 for none) and
   * {@code data.splitSeed} replace the manifest's validation carve; {@code data.fold} picks the fold.
   */
  public DataSpec withOverrides(Double validationFraction, Long splitSeed, Integer fold) {
    SplitPlan.Carve v = plan.validation();
    SplitPlan.Folds f = plan.folds();
    if (validationFraction != null || splitSeed != null) {
      double fraction = validationFraction != null ? validationFraction : v == null ? 0 : v.fraction();
      long seed = splitSeed != null ? splitSeed : v == null ? 0 : v.seed();
      v = new SplitPlan.Carve(fraction, seed, v != null && v.stratify());
    }
    if (f != null && fold != null) {
      if (fold < 0 || fold >= f.k()) {
        throw new ResearchException("`data.fold` is " + fold + ", and data/" + name + ".yaml declares " + f.k()
            + " folds. Fix: a fold from 0 to " + (f.k() - 1) + ".");
      }
      f = new SplitPlan.Folds(f.k(), f.seed(), f.stratify(), fold);
    }
    if (f != null && validationFraction != null) {
      f = null; // the experiment asks for a validation fraction of its own
    }
    return new DataSpec(name, format, csv, trainFile, trainImages, trainLabels, testFile, testImages, testLabels,
        new SplitPlan(plan.test(), v, f));
  }
}
