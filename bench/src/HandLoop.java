import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The named baseline of bench/loop.sh: a plain DJL training loop written by hand, with no
 * listener and nothing recorded: Fashion-MNIST read from its IDX files, pixels scaled to 0..1 and
 * normalised with the training images' mean and std, an MLP 784-HIDDEN-10 with ReLU, softmax
 * cross-entropy, Adam at a fixed rate, {@code EasyTrain.trainBatch} + {@code trainer.step()} over
 * every batch of every epoch, then one evaluation of the test set. Prints the test accuracy and
 * the wall time since the JVM started.
 *
 * <p>Usage: {@code HandLoop DATA_DIR EPOCHS BATCH HIDDEN LR SEED}
 */
public final class HandLoop {
  private HandLoop() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int epochs = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    int hidden = Integer.parseInt(args[3]);
    float lr = Float.parseFloat(args[4]);
    int seed = Integer.parseInt(args[5]);
    try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("mlp")) {
      Engine.getInstance().setRandomSeed(seed);
      byte[] trainPixels = images(dir.resolve("train-images-idx3-ubyte.gz"));
      byte[] trainLabels = labels(dir.resolve("train-labels-idx1-ubyte.gz"));
      byte[] testPixels = images(dir.resolve("t10k-images-idx3-ubyte.gz"));
      byte[] testLabels = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
      double sum = 0;
      double sq = 0;
      for (byte b : trainPixels) {
        double v = (b & 0xFF) / 255.0;
        sum += v;
        sq += v * v;
      }
      float mean = (float) (sum / trainPixels.length);
      float std = (float) Math.sqrt(sq / trainPixels.length - mean * (double) mean);
      ArrayDataset train = dataset(manager, trainPixels, trainLabels, mean, std, batch, true);
      ArrayDataset test = dataset(manager, testPixels, testLabels, mean, std, batch, false);

      SequentialBlock block = new SequentialBlock();
      block.add(Linear.builder().setUnits(hidden).build());
      block.add(Activation::relu);
      block.add(Linear.builder().setUnits(10).build());
      model.setBlock(block);
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .addEvaluator(new Accuracy())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batch, 784));
        for (int epoch = 0; epoch < epochs; epoch++) {
          for (Batch b : trainer.iterateDataset(train)) {
            try (b) {
              EasyTrain.trainBatch(trainer, b);
              trainer.step();
            }
          }
        }
        Evaluator accuracy = trainer.getEvaluators().get(0);
        accuracy.addAccumulator("test");
        for (Batch b : trainer.iterateDataset(test)) {
          try (b; NDList predictions = trainer.evaluate(b.getData())) {
            accuracy.updateAccumulator("test", b.getLabels(), predictions);
          }
        }
        System.out.printf(Locale.ROOT, "test_accuracy %.4f%n", accuracy.getAccumulator("test"));
      }
    }
  }

  private static ArrayDataset dataset(NDManager manager, byte[] pixels, byte[] labels, float mean, float std,
      int batch, boolean shuffle) {
    float[] x = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      x[i] = ((pixels[i] & 0xFF) / 255f - mean) / std;
    }
    float[] y = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      y[i] = labels[i] & 0xFF;
    }
    NDArray data = manager.create(x, new Shape(labels.length, pixels.length / labels.length));
    return new ArrayDataset.Builder().setData(data).optLabels(manager.create(y)).setSampling(batch, shuffle).build();
  }

  private static byte[] images(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      in.readInt();
      int n = in.readInt();
      int size = in.readInt() * in.readInt();
      return in.readNBytes(n * size);
    }
  }

  private static byte[] labels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      in.readInt();
      return in.readNBytes(in.readInt());
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }
}
