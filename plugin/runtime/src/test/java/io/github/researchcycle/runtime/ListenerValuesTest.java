package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricLine;
import io.github.researchcycle.model.MetricsReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The values the listener records, computed once per step (the loss handed over by the train step,
 * the accuracy counted in bulk), equal bit for bit what DJL's own evaluators give on the same
 * predictions: a reference listener beside it evaluates the loss and updates DJL's accumulators.
 */
class ListenerValuesTest {
  /** DJL's own way: the loss evaluated again on the predictions, every evaluator's accumulator updated. */
  static final class Reference extends TrainingListenerAdapter {
    final List<Double> losses = new ArrayList<>();
    final List<Double> trainLoss = new ArrayList<>();
    final List<Double> trainAccuracy = new ArrayList<>();
    private boolean added;

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
      if (!added) {
        trainer.getEvaluators().forEach(e -> e.addAccumulator("ref"));
        added = true;
      }
      for (Device device : batchData.getLabels().keySet()) {
        NDList labels = batchData.getLabels().get(device);
        NDList predictions = batchData.getPredictions().get(device);
        for (Evaluator e : trainer.getEvaluators()) {
          e.updateAccumulator("ref", labels, predictions);
        }
        try (NDArray value = trainer.getLoss().evaluate(labels, predictions)) {
          losses.add((double) value.getFloat());
        }
      }
    }

    @Override
    public void onEpoch(Trainer trainer) {
      for (Evaluator e : trainer.getEvaluators()) {
        (e == trainer.getLoss() ? trainLoss : trainAccuracy).add((double) e.getAccumulator("ref"));
        e.resetAccumulator("ref");
      }
    }
  }

  private static List<Double> values(List<MetricLine> lines, String name) {
    return lines.stream().filter(l -> l.name().equals(name)).map(MetricLine::value).toList();
  }

  @Test
  void recordedValuesEqualDjlsOwnBitForBit(@TempDir Path dir) throws Exception {
    // 300 steps an epoch: more than AccuracyTally.EVERY, so the bulk count runs mid-epoch too;
    // 1,203 records: a last, partial batch.
    int n = 1203;
    int batch = 4;
    ObjectNode config = (ObjectNode) Json.mapper().readTree("{\"training\":{\"epochs\":2,\"batch\":" + batch + "}}");
    Reference reference = new Reference();
    Random random = new Random(11);
    float[] x = new float[n * 5];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 5; j++) {
        x[i * 5 + j] = (float) (random.nextGaussian() * 2 + (j == i % 3 ? 1 : 0));
      }
    }
    try (Run run = Run.open(dir, "test", config, 4, false);
        NDManager manager = NDManager.newBaseManager();
        Model model = Model.newInstance("values")) {
      ArrayDataset train = new ArrayDataset.Builder().setData(manager.create(x, new Shape(n, 5)))
          .optLabels(manager.create(y)).setSampling(run.sampler(batch, true)).build();
      model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(6).build()).add(Activation::relu)
          .add(Linear.builder().setUnits(3).build()));
      DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .addEvaluator(new Accuracy())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())
          .optDevices(run.devices())
          .addTrainingListeners(run.listener(), reference);
      try (Trainer trainer = model.newTrainer(tc)) {
        trainer.initialize(new Shape(batch, 5));
        Fit.fit(run, trainer, 2, train, null);
      }
    }
    List<MetricLine> lines = MetricsReader.read(dir.resolve("metrics.jsonl"));
    assertEquals(2 * 301, reference.losses.size());
    assertEquals(reference.losses, values(lines, "loss"), "the loss of every step");
    assertEquals(reference.trainLoss, values(lines, "train_loss"));
    assertEquals(reference.trainAccuracy, values(lines, "train_accuracy"));
    assertTrue(reference.trainAccuracy.get(1) > 0.4, "learned something: " + reference.trainAccuracy);
  }

  @Test
  void ownLossAccumulationOnlyForDjlsPlainLoss() {
    assertTrue(ResearchListener.accumulatesPlainly(Loss.softmaxCrossEntropyLoss()));
    assertTrue(ResearchListener.accumulatesPlainly(Loss.l2Loss()));
    Loss custom = new Loss("custom") {
      @Override
      public NDArray evaluate(NDList labels, NDList predictions) {
        return predictions.head().sub(labels.head()).abs().mean();
      }

      @Override
      public float getAccumulator(String key) {
        return 42;
      }
    };
    assertEquals(false, ResearchListener.accumulatesPlainly(custom));
  }
}
