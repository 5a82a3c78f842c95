package io.github.researchcycle.runtime.data;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.researchcycle.runtime.Fit;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.TestRuns;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Converts (once) a synthetic data set of about {@code bytes} bytes into shards and trains a small
 * MLP on it through {@link Fit}: the body of the forked-JVM tests (run with a small -Xmx).
 * Arguments: shard folder, run folder, seed, epochs, bytes, features, batch, resuming (true|false)
 * [, shard bytes (default 8 MiB)].
 */
public final class ShardedTrainMain {
  private ShardedTrainMain() {}

  /** Writes {@code records} synthetic records: uniform features, label = sign of a fixed linear rule. */
  static ShardedDataset.Index generate(Path dir, long records, int d, long shardBytes) throws Exception {
    return ShardedDataset.convert(dir, "synthetic/v1/" + records + "x" + d, d, shardBytes, w -> {
      SplittableRandom random = new SplittableRandom(42);
      float[] x = new float[d];
      for (long i = 0; i < records; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          x[j] = (float) (random.nextDouble() * 2 - 1);
          s += x[j] * (j % 3 == 0 ? 1 : -0.5);
        }
        w.add(x, s > 0 ? 1 : 0);
      }
    });
  }

  public static void main(String[] args) throws Exception {
    Path shards = Path.of(args[0]);
    Path runDir = Path.of(args[1]);
    long seed = Long.parseLong(args[2]);
    int epochs = Integer.parseInt(args[3]);
    long bytes = Long.parseLong(args[4]);
    int d = Integer.parseInt(args[5]);
    int batch = Integer.parseInt(args[6]);
    boolean resuming = Boolean.parseBoolean(args[7]);
    long t0 = System.nanoTime();
    ShardedDataset.Index index = generate(shards, bytes / (4L * (d + 1)), d, args.length > 8 ? Long.parseLong(args[8]) : ShardedDataset.DEFAULT_SHARD_BYTES);
    long t1 = System.nanoTime();
    ShardedDataset train = ShardedDataset.open(shards, batch, true, seed);
    try (Run run = TestRuns.open(runDir, "{}", seed, resuming); Model model = Model.newInstance("sharded")) {
      SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation::relu)
          .add(Linear.builder().setUnits(2).build());
      model.setBlock(block);
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .addEvaluator(new Accuracy())
          .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
          .addTrainingListeners(run.listener());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batch, d));
        Fit.fit(run, trainer, epochs, train, train.batches(), null);
      }
    }
    long t2 = System.nanoTime();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("RESULT maxHeap=%d dataBytes=%d records=%d shards=%d peakHeapSum=%d convertSeconds=%.2f "
        + "trainSeconds=%.2f%n", Runtime.getRuntime().maxMemory(), index.bytes(), index.records(), index.shards().size(),
        peak, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }
}
