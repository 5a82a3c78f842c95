package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.Checkpoints;
import io.github.researchcycle.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The research-only path: a manifest's data and splits, a typed config and run.fit, for real. */
class RunFitTest {
  record Model(int hidden) {}

  record Hyper(Model model) {}

  private static final String CONFIG = "{\"main\": \"x.Train\", \"hyper\": \"x.Hyper\", \"data\": {\"name\": \"blobs\"},"
      + " \"model\": {\"hidden\": 8}, \"optimizer\": {\"name\": \"%s\", \"lr\": 0.05},"
      + " \"training\": {\"epochs\": 3, \"batch\": 16}}";

  /** A research repository with data/blobs.yaml: a CSV with a header, a test split carved from it. */
  private static Path project(Path root) throws Exception {
    Files.createDirectories(root.resolve("data"));
    Files.writeString(root.resolve("data/blobs.yaml"), """
        name: blobs
        format: csv
        files:
          - {name: blobs.csv, size: 1, sha256: 0000000000000000000000000000000000000000000000000000000000000000}
        csv: {header: true, label: cls, categorical: true, delimiter: ','}
        splits:
          train: {file: blobs.csv}
          test: {from: train, fraction: 0.2, seed: 11, stratify: true}
          validation: {from: train, fraction: 0.25, seed: 42}
        """);
    StringBuilder csv = new StringBuilder("a,b,cls\n");
    Random random = new Random(3);
    for (int i = 0; i < 400; i++) {
      double shift = i % 2 == 0 ? -1 : 1;
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", random.nextGaussian() + shift,
          random.nextGaussian() + shift, i % 2 == 0 ? "left" : "right"));
    }
    Files.writeString(root.resolve("blobs.csv"), csv);
    return root;
  }

  private static Run open(Path project, Path dir, String optimizer, long seed) throws Exception {
    ObjectNode config = (ObjectNode) Json.mapper().readTree(String.format(Locale.ROOT, CONFIG, optimizer));
    return Run.open(dir, "baseline", config, seed, false).withProject(project, Map.of("blobs", project));
  }

  private static Map<String, Double> train(Run run) throws Exception {
    Hyper h = run.config(Hyper.class);
    var data = run.data();
    SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(h.model().hidden()).build())
        .add(Activation::relu).add(Linear.builder().setUnits(data.classes()).build());
    return run.fit(net, Loss.softmaxCrossEntropyLoss());
  }

  @Test
  void fitTrainsOnTheManifestsSplitsAndTestsOnce(@TempDir Path root, @TempDir Path dir) throws Exception {
    Path project = project(root);
    Map<String, Double> results;
    try (Run run = open(project, dir, "adam", 1)) {
      results = train(run);
      assertEquals(80, run.data().testSize(), "20 % carved for test");
      assertEquals(80, run.data().validationSize(), "25 % of the rest for validation");
      assertEquals(240, run.data().trainSize());
      assertEquals(2, run.data().classes());
    }
    assertTrue(results.get("test_accuracy") > 0.8, results.toString());
    assertTrue(results.containsKey("validate_accuracy") && results.containsKey("train_loss"), results.toString());
    JsonNode env = Json.mapper().readTree(dir.resolve("environment.json").toFile());
    assertEquals(80, env.at("/normalisation/split/test/records").asInt(), env.toString());
    assertTrue(Checkpoints.latest(dir).isPresent(), "a checkpoint every epoch");
  }

  @Test
  void theSameSeedGivesTheSameResults(@TempDir Path root, @TempDir Path a, @TempDir Path b) throws Exception {
    Path project = project(root);
    Map<String, Double> first;
    Map<String, Double> second;
    try (Run run = open(project, a, "sgd", 4)) {
      first = train(run);
    }
    try (Run run = open(project, b, "sgd", 4)) {
      second = train(run);
    }
    assertEquals(first, second);
  }

  @Test
  void aFileThatDoesNotReadAsItsManifestSaysIsOneLineNamingTheManifest(@TempDir Path root, @TempDir Path dir)
      throws Exception {
    Path project = project(root);
    Files.writeString(project.resolve("blobs.csv"), "a,b,cls\n1.0,big,left\n");
    try (Run run = open(project, dir, "adam", 1)) {
      ResearchException e = assertThrows(ResearchException.class, run::data);
      assertTrue(e.getMessage().startsWith("data/blobs.yaml: CSV file ") && e.getMessage().contains("Fix:"),
          e.getMessage());
    }
  }

  @Test
  void anOptimizerTheRuntimeLacksIsOneLineNamingTheChoices(@TempDir Path root, @TempDir Path dir) throws Exception {
    Path project = project(root);
    try (Run run = open(project, dir, "adamax", 1)) {
      ResearchException e = assertThrows(ResearchException.class, () -> train(run));
      assertTrue(e.getMessage().contains("`optimizer.name` is `adamax`") && e.getMessage().contains("adam, adamw, sgd"),
          e.getMessage());
    }
  }

  @Test
  void aComponentTheExperimentLacksStopsTheRunWithTheKey(@TempDir Path root, @TempDir Path dir) throws Exception {
    record Wrong(Model model, double dropout) {}
    try (Run run = open(project(root), dir, "adam", 1)) {
      ResearchException e = assertThrows(ResearchException.class, () -> run.config(Wrong.class));
      assertTrue(e.getMessage().contains("Wrong reads `dropout`"), e.getMessage());
    }
  }
}
