package io.github.researchcycle.core.config;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's own keys are checked for their ranges when an experiment is resolved, naming where each was set. */
class ConfigRulesTest {
  static final String BASELINE = String.join("\n",
      "main: x.Train",
      "data:",
      "  samples: 600",
      "  validation: 0.2",
      "  limit: 0",
      "optimizer:",
      "  lr: 0.001",
      "training:",
      "  epochs: 3",
      "  batch: 32",
      "");

  @TempDir Path root;

  @BeforeEach
  void files() {
    write(root, "experiments/baseline.yaml", BASELINE);
  }

  private String refusal(String experimentYaml, List<String> overrides) {
    write(root, "experiments/probe.yaml", "extends: baseline\n" + experimentYaml);
    return assertThrows(ResearchException.class,
        () -> new ExperimentResolver(root).resolve("probe", overrides)).getMessage();
  }

  @Test
  void validValuesPassAndZeroValidationMeansNone() {
    write(root, "experiments/probe.yaml", "extends: baseline\ndata:\n  validation: 0.0\n");
    assertEquals("x.Train", new ExperimentResolver(root).resolve("probe", List.of()).mainClass());
  }

  @Test
  void anOptimizerOrScheduleTheRuntimeLacksIsRefusedBeforeAnyRun() {
    write(root, "experiments/baseline.yaml", BASELINE.replace("  lr: 0.001", "  name: adam\n  lr: 0.001"));
    assertEquals("experiments/probe.yaml line 3: `optimizer.name` is `adamax`, which the runtime does not offer. "
        + "Fix: one of adam, adamw, sgd.", refusal("optimizer:\n  name: adamax\n", List.of()));
    assertEquals("-Dresearch.set=optimizer.name=rmsprop: `optimizer.name` is `rmsprop`, which the runtime does not "
        + "offer. Fix: one of adam, adamw, sgd.", refusal("", List.of("optimizer.name=rmsprop")));
    write(root, "experiments/probe.yaml", "extends: baseline\noptimizer:\n  name: AdamW\n");
    assertEquals("x.Train", new ExperimentResolver(root).resolve("probe", List.of()).mainClass());
  }

  @Test
  void eachOutOfRangeValueNamesItsFileLineKeyAndFix() {
    assertEquals("experiments/probe.yaml line 3: `training.batch` is out of range, found 0. Fix: examples per "
        + "optimizer step, at least 1.", refusal("training:\n  batch: 0\n", List.of()));
    assertEquals("experiments/probe.yaml line 3: `training.epochs` is out of range, found -2. Fix: passes over the "
        + "training data, at least 1.", refusal("training:\n  epochs: -2\n", List.of()));
    assertEquals("experiments/probe.yaml line 3: `optimizer.lr` is out of range, found 0.0. Fix: the learning rate, "
        + "above 0.", refusal("optimizer:\n  lr: 0.0\n", List.of()));
    assertEquals("experiments/probe.yaml line 3: `data.limit` is out of range, found -1. Fix: training examples "
        + "used, 0 for all, at least 0.", refusal("data:\n  limit: -1\n", List.of()));
    assertEquals("experiments/probe.yaml line 3: `data.validation` is out of range, found 2.0. Fix: the fraction of "
        + "the training data held out for validation (0 for none), at least 0 and below 1.",
        refusal("data:\n  validation: 2.0\n", List.of()));
    // A wrong type is the merge's own check, against the type the root experiment declares.
    assertTrue(refusal("data:\n  samples: 12.5\n", List.of())
        .startsWith("experiments/probe.yaml line 3: `data.samples` must be a whole number"));
    write(root, "experiments/baseline.yaml", BASELINE.replace("  batch: 32", "  batch: 32.5"));
    write(root, "experiments/probe.yaml", "extends: baseline\n");
    assertEquals("experiments/baseline.yaml line 10: `training.batch` must be a whole number, found 32.5. Fix: "
        + "examples per optimizer step, at least 1.",
        assertThrows(ResearchException.class, () -> new ExperimentResolver(root).resolve("probe", List.of()))
            .getMessage());
  }

  @Test
  void aValueFromTheParentOrAnOverrideIsNamedWhereItWasSet() {
    write(root, "experiments/baseline.yaml", BASELINE.replace("  epochs: 3", "  epochs: 0"));
    write(root, "experiments/probe.yaml", "extends: baseline\n");
    assertEquals("experiments/baseline.yaml line 9: `training.epochs` is out of range, found 0. Fix: passes over the "
        + "training data, at least 1.",
        assertThrows(ResearchException.class, () -> new ExperimentResolver(root).resolve("probe", List.of()))
            .getMessage());
    write(root, "experiments/baseline.yaml", BASELINE);
    assertEquals("-Dresearch.set=optimizer.lr=-1: `optimizer.lr` is out of range, found -1. Fix: the learning "
        + "rate, above 0.", refusal("", List.of("optimizer.lr=-1")));
  }
}
