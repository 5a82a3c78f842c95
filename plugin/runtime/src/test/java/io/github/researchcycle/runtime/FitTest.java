package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.model.Checkpoints;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real (tiny) PyTorch training through the runtime: metrics, checkpoints, determinism, resume. */
class FitTest {
  private static ObjectNode config(int epochs) throws Exception {
    return (ObjectNode) Json.mapper().readTree("{\"training\":{\"epochs\":" + epochs + ",\"batch\":16}}");
  }

  /** Trains a small MLP on two Gaussian blobs with plain SGD; returns the final parameters. */
  private static float[] train(Run run) throws Exception {
    return train(run, r -> Tracker.fixed(0.1f));
  }

  /** As {@link #train(Run)}, with the learning rate from {@code lr}. */
  static float[] train(Run run, Function<Run, Tracker> lr) throws Exception {
    return train(run, lr, rate -> Optimizer.sgd().setLearningRateTracker(rate).build());
  }

  /** As {@link #train(Run)}, with the learning rate from {@code lr} and the optimizer from {@code optimizer}. */
  static float[] train(Run run, Function<Run, Tracker> lr, Function<Tracker, Optimizer> optimizer) throws Exception {
    int batch = run.config().getInt("training.batch");
    Random random = new Random(5);
    float[] x = new float[400 * 4];
    float[] y = new float[400];
    for (int i = 0; i < 400; i++) {
      y[i] = i % 2;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) (random.nextGaussian() + (i % 2 == 0 ? -1 : 1));
      }
    }
    try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("blobs")) {
      ArrayDataset train = new ArrayDataset.Builder().setData(manager.create(x, new Shape(400, 4)))
          .optLabels(manager.create(y)).setSampling(run.sampler(batch, true)).build();
      ArrayDataset validation = new ArrayDataset.Builder().setData(manager.create(x, new Shape(400, 4)))
          .optLabels(manager.create(y)).setSampling(batch, false).build();
      SequentialBlock block = new SequentialBlock()
          .add(Linear.builder().setUnits(8).build()).add(Activation::relu).add(Linear.builder().setUnits(2).build());
      model.setBlock(block);
      DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .addEvaluator(new Accuracy())
          .optOptimizer(optimizer.apply(lr.apply(run)))
          .optDevices(run.devices())
          .addTrainingListeners(run.listener());
      try (Trainer trainer = model.newTrainer(tc)) {
        trainer.initialize(new Shape(batch, 4));
        Fit.fit(run, trainer, run.config().getInt("training.epochs"), train, validation);
        float[] params = new float[0];
        for (var p : block.getParameters().values()) {
          float[] v = p.getArray().toFloatArray();
          float[] all = new float[params.length + v.length];
          System.arraycopy(params, 0, all, 0, params.length);
          System.arraycopy(v, 0, all, params.length, v.length);
          params = all;
        }
        return params;
      }
    }
  }

  static List<String> lines(Path dir) throws Exception {
    return MetricsReader.read(dir.resolve("metrics.jsonl")).stream()
        .map(l -> l.step() + "/" + l.epoch() + "/" + l.name() + "=" + l.value()).toList();
  }

  @Test
  void writesStepAndEpochMetricsAndCheckpoints(@TempDir Path dir) throws Exception {
    try (Run run = Run.open(dir, "test", config(3), 1, false)) {
      train(run);
    }
    List<MetricLine> metrics = MetricsReader.read(dir.resolve("metrics.jsonl"));
    assertEquals(3 * 25, metrics.stream().filter(l -> l.name().equals("loss")).count(), "a loss per step");
    for (String name : List.of("train_loss", "train_accuracy", "validate_loss", "validate_accuracy")) {
      assertEquals(List.of(0, 1, 2), metrics.stream().filter(l -> l.name().equals(name)).map(MetricLine::epoch).toList(), name);
    }
    double lastAccuracy = metrics.stream().filter(l -> l.name().equals("validate_accuracy")).reduce((a, b) -> b)
        .orElseThrow().value();
    assertTrue(lastAccuracy > 0.8, "the blobs are learned: " + lastAccuracy);
    assertEquals("epoch-0003", Checkpoints.latest(dir).orElseThrow().getFileName().toString());
    assertEquals(Fit.KEEP_CHECKPOINTS, Files.list(Checkpoints.root(dir)).count(), "older checkpoints pruned");
    assertTrue(Files.readString(dir.resolve("environment.json")).contains("\"engine\" : \"PyTorch\""));
  }

  @Test
  void sameSeedIsBitIdentical(@TempDir Path a, @TempDir Path b) throws Exception {
    float[] first;
    float[] second;
    try (Run run = Run.open(a, "test", config(2), 9, false)) {
      first = train(run);
    }
    try (Run run = Run.open(b, "test", config(2), 9, false)) {
      second = train(run);
    }
    assertArrayEquals(first, second);
    assertEquals(lines(a), lines(b));
  }

  @Test
  void resumedRunEqualsUninterruptedOneWithAStatelessOptimizer(@TempDir Path whole, @TempDir Path parts)
      throws Exception {
    float[] uninterrupted;
    try (Run run = Run.open(whole, "test", config(4), 3, false)) {
      uninterrupted = train(run);
    }
    try (Run run = Run.open(parts, "test", config(2), 3, false)) {
      train(run); // "crashes" after two epochs, leaving checkpoint epoch-0002
    }
    float[] resumed;
    try (Run run = Run.open(parts, "test", config(4), 3, true)) {
      resumed = train(run);
    }
    // Plain SGD keeps no state: parameters, data order and the generator are all restored.
    assertEquals(lines(whole), lines(parts));
    assertArrayEquals(uninterrupted, resumed);
  }
}
