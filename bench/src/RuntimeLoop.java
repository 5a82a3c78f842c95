import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.researchcycle.runtime.Config;
import io.github.researchcycle.runtime.Fit;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.data.DataSets;

/**
 * The runtime's side of bench/loop.sh: the training JVM of a generated repository, i.e. the
 * archetype's Train.java for an IDX data set (the template's {@code #else} branch: run.config,
 * run.data, run.fit) and its
 * Network.java, started like research:run starts it ({@code -Dresearch.run.dir} holding a
 * {@code run.json}, {@code -Dresearch.data.dir.NAME}).
 */
public final class RuntimeLoop {
  private RuntimeLoop() {}

  /** The hyper-parameters the generated Train.java binds its config to. */
  public record Hyper(Model model) {
    /** The network's size. */
    public record Model(int hidden, int layers) {}
  }

  public static void main(String[] args) throws Exception {
    if (!Boolean.getBoolean("bench.probe")) {
      // What the generated Train.java does: typed config, the manifest's data, run.fit.
      try (Run run = Run.current()) {
        Hyper h = run.config(Hyper.class);
        DataSets.Loaded data = run.data();
        run.fit(mlp(data.classes(), h.model().hidden(), h.model().layers()), Loss.softmaxCrossEntropyLoss(),
            new Accuracy());
      }
      return;
    }
    // The probe times the listener between two of its own, which needs the loop written out.
    try (Run run = Run.current()) {
      Config c = run.config();
      int experimentBatch = c.getInt("training.batch");
      int batch = run.batchSize(experimentBatch);
      try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("mlp")) {
        String name = c.getString("data.name");
        DataSets.Loaded data = DataSets.idx(manager, run.dataDir(name), c.getDouble("data.validation"),
            c.getLong("data.splitSeed"), run.sampler(batch, true), batch, run);
        var train = data.train();
        var validation = data.validation();
        var test = data.test();
        model.setBlock(mlp(data.classes(), c.getInt("model.hidden"), c.getInt("model.layers")));
        long stepsPerEpoch = run.sampler(batch, true).batches(train.size());
        Tracker lr = run.learningRate(c.getDouble("optimizer.lr"), experimentBatch, stepsPerEpoch);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .addEvaluator(new Accuracy())
            .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
            .optDevices(run.devices())
            .addTrainingListeners(run.listener());
        Probe probe = new Probe();
        {
          // Called in list order: probe.before, the runtime's listener, probe.after.
          config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .addEvaluator(new Accuracy())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
              .optDevices(run.devices())
              .addTrainingListeners(probe.before, run.listener(), probe.after);
        }
        try (Trainer trainer = model.newTrainer(config)) {
          trainer.initialize(new Shape(batch, data.features()));
          Fit.fit(run, trainer, c.getInt("training.epochs"), train, validation);
          if (test != null) {
            Fit.test(run, trainer, test);
          }
          probe.print();
        }
      }
    }
  }

  /**
   * Times the runtime's listener per training batch (between a listener called just before it
   * and one called just after it) against the time from one batch's listeners to the next's.
   */
  static final class Probe {
    long steps;
    long listenerNanos;
    long stepNanos;
    long start;
    long last;
    final TrainingListenerAdapter before = new TrainingListenerAdapter() {
      @Override
      public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        long now = System.nanoTime();
        if (last != 0) {
          stepNanos += now - last;
        }
        last = now;
        start = now;
      }

      @Override
      public void onEpoch(Trainer trainer) {
        last = 0; // the epoch's end (validation, checkpoint) is not a step
      }
    };
    final TrainingListenerAdapter after = new TrainingListenerAdapter() {
      @Override
      public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        listenerNanos += System.nanoTime() - start;
        steps++;
      }
    };

    void print() {
      System.out.printf(java.util.Locale.ROOT, "PROBE steps %d step_us %.1f listener_us %.2f%n", steps,
          stepNanos / 1e3 / Math.max(1, steps), listenerNanos / 1e3 / Math.max(1, steps));
    }
  }

  private static Block mlp(int classes, int hidden, int layers) {
    SequentialBlock block = new SequentialBlock();
    for (int i = 0; i < layers; i++) {
      block.add(Linear.builder().setUnits(hidden).build());
      block.add(Activation::relu);
    }
    block.add(Linear.builder().setUnits(classes).build());
    return block;
  }
}
