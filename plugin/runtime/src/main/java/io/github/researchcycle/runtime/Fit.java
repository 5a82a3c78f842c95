package io.github.researchcycle.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.TrainingListener;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.Checkpoints;
import io.github.researchcycle.model.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The training loop of a run: like DJL's {@code EasyTrain.fit}, plus a checkpoint after every
 * epoch and, when the run is resumed, a start from the last checkpoint.
 *
 * <p>A checkpoint holds the model's parameters (an NDList, {@code parameters.ndlist}), the
 * optimizer's internal state ({@code optimizer.ndlist}: for example Adam's moment estimates, SGD's
 * momenta, and the update counts behind Adam's bias correction and the learning-rate schedule, see
 * {@link OptimizerState}), the number of finished epochs and the global step. On resumption all of
 * it is loaded, counting continues, and each later epoch sees the data order it would have seen
 * (with {@link Run#sampler}). The engine's random generator is re-seeded from the seed and the
 * epoch at the start of every epoch, so it is the same either way: on the CPU a resumed run ends
 * with bit-identical metrics to an uninterrupted one. An optimizer whose state the runtime cannot
 * save (one of the researcher's own, see {@link OptimizerState#STATE_FIELDS} for the others) is
 * named in one line and in {@code environment.json}; it restarts its state on resumption, as it
 * does from a checkpoint written before the state was kept, so that run is close, not identical.
 *
 * <p>A process told to stop (SIGTERM, Ctrl-C) ends after the step or checkpoint it is on, with
 * 143 or 130; {@code -Dresearch.resume=RUN_ID} continues from the last checkpoint.
 */
public final class Fit {
  /** Checkpoints kept per run; older ones are removed as new ones are written. */
  public static final int KEEP_CHECKPOINTS = 2;

  private static final String PARAMS = "parameters.ndlist";

  private Fit() {}

  /** Trains for {@code epochs} epochs (validating each one when {@code validation} is not null). */
  public static void fit(Run run, Trainer trainer, int epochs, RandomAccessDataset train, Dataset validation)
      throws IOException, TranslateException {
    EpochSampler sampler = run.samplerOrNull();
    loop(run, trainer, epochs, train, sampler == null ? -1 : sampler.batches(train.size()), sampler, validation);
  }

  /**
   * Trains on any DJL data set, for example a {@link io.github.researchcycle.runtime.data.ShardedDataset}
   * that streams from disk: {@code batchesPerEpoch} is shown by the progress display (-1 when
   * unknown). When {@code train} is {@link EpochAware} it is told each epoch before it is iterated,
   * so its order depends on the seed and the epoch only, and a resumed run sees the same order.
   */
  public static void fit(Run run, Trainer trainer, int epochs, Dataset train, long batchesPerEpoch, Dataset validation)
      throws IOException, TranslateException {
    loop(run, trainer, epochs, train, batchesPerEpoch, train instanceof EpochAware aware ? aware : null, validation);
  }

  private static void loop(Run run, Trainer trainer, int epochs, Dataset train, long batches, EpochAware order,
      Dataset validation) throws IOException, TranslateException {
    if (run.launch().lrFind() != null) {
      rangeTest(run, trainer, train, order);
      return;
    }
    ResearchListener listener = run.listener();
    OptimizerState optimizer = OptimizerState.of(trainer);
    optimizer.describe(run);
    int start = 0;
    if (run.resuming()) {
      try {
        start = restore(run, trainer, optimizer, listener);
      } catch (IOException e) {
        throw new ResearchException("Cannot resume run " + run.dir().getFileName() + ": " + e.getMessage()
            + ". Fix: resume with the code and config the run started with, or start a new run.", e);
      }
    }
    for (int epoch = start; epoch < epochs; epoch++) {
      if (order != null) {
        order.setEpoch(epoch);
      }
      // Re-seeded per epoch, so that a resumed epoch draws what an uninterrupted one would.
      Engine.getInstance().setRandomSeed((int) (run.seed() * 1_000_003L + epoch));
      listener.startEpoch(epoch, epochs, batches);
      for (Batch batch : trainer.iterateDataset(train)) {
        try (batch) {
          trainBatch(trainer, batch, listener);
          trainer.step();
        }
        run.exitIfStopped();
      }
      if (validation != null) {
        for (Batch batch : trainer.iterateDataset(validation)) {
          try (batch) {
            EasyTrain.validateBatch(trainer, batch);
          }
          run.exitIfStopped();
        }
      }
      run.exitIfStopped();
      trainer.notifyListeners(l -> l.onEpoch(trainer));
      checkpoint(run, trainer.getModel().getBlock(), optimizer, epoch + 1, listener.step());
      run.exitIfStopped();
    }
  }

  /**
   * One forward and backward pass over a batch, as {@code EasyTrain.trainBatch} does it, that
   * hands the loss it computed to the run's listener before the listeners are told of the batch:
   * so the loss is computed once per step, not again by the listener. With several devices
   * trained in parallel (an executor service), DJL's own {@code trainBatch} does it.
   */
  static void trainBatch(Trainer trainer, Batch batch, ResearchListener listener) {
    Batch[] splits = batch.split(trainer.getDevices(), false);
    if (splits.length > 1 && trainer.getExecutorService().isPresent()) {
      EasyTrain.trainBatch(trainer, batch);
      return;
    }
    TrainingListener.BatchData data = new TrainingListener.BatchData(batch, new ConcurrentHashMap<>(),
        new ConcurrentHashMap<>());
    Map<Device, NDArray> losses = new HashMap<>();
    try (GradientCollector collector = trainer.newGradientCollector()) {
      for (Batch split : splits) {
        NDList labels = split.getLabels();
        NDList predictions = trainer.forward(split.getData(), labels);
        NDArray loss = trainer.getLoss().evaluate(labels, predictions);
        collector.backward(loss);
        Device device = labels.get(0).getDevice();
        data.getLabels().put(device, labels);
        data.getPredictions().put(predictions.get(0).getDevice(), predictions);
        losses.put(device, loss);
      }
    }
    listener.computedLosses(losses);
    trainer.notifyListeners(l -> l.onTrainingBatch(trainer, data));
  }

  /** The smoothing of the range test's loss (an exponential moving average, bias-corrected). */
  static final double SMOOTHING = 0.98;
  /** The range test stops once the smoothed loss exceeds this multiple of its minimum. */
  static final double DIVERGED = 4.0;

  /**
   * The learning-rate range test (Smith 2017): one optimizer step per batch, the rate growing
   * exponentially (from {@link Run#learningRate}), logging {@code lr}, {@code loss} and
   * {@code smoothed_loss} at every step; stops after the test's steps or once the loss diverges.
   * No validation and no checkpoints: the model is thrown away.
   */
  static void rangeTest(Run run, Trainer trainer, Dataset train, EpochAware order)
      throws IOException, TranslateException {
    if (!run.lrFindTrackerIssued()) {
      throw new ResearchException("research:lr-find sets the learning rate through run.learningRate(lr, batch, "
          + "stepsPerEpoch), and this training class builds its optimizer with a rate of its own. Fix: give the "
          + "optimizer .optLearningRateTracker(run.learningRate(...)) (see the generated Train.java).");
    }
    Launch.LrFind f = run.launch().lrFind();
    double average = 0;
    double best = Double.POSITIVE_INFINITY;
    long step = 0;
    int epoch = 0;
    String stopped = "after " + f.steps() + " steps";
    System.out.printf(Locale.ROOT, "Learning-rate range test: %.2e to %.2e over %d steps%n", f.min(), f.max(),
        f.steps());
    outer:
    while (step < f.steps()) {
      if (order != null) {
        order.setEpoch(epoch);
      }
      Engine.getInstance().setRandomSeed((int) (run.seed() * 1_000_003L + epoch));
      boolean any = false;
      for (Batch batch : trainer.iterateDataset(train)) {
        try (batch) {
          any = true;
          double loss = trainStep(trainer, batch);
          trainer.step();
          double rate = f.rate(step);
          average = SMOOTHING * average + (1 - SMOOTHING) * loss;
          double smoothed = average / (1 - Math.pow(SMOOTHING, step + 1));
          run.log("lr", rate, step, epoch);
          run.log("loss", loss, step, epoch);
          run.log("smoothed_loss", smoothed, step, epoch);
          run.exitIfStopped();
          step++;
          if (step % Math.max(1, f.steps() / 10) == 0) {
            System.out.printf(Locale.ROOT, "  step %5d  lr %.2e  loss %.4f%n", step, rate, smoothed);
          }
          if (!Double.isFinite(loss) || (step > 10 && smoothed > DIVERGED * best)) {
            stopped = "at step " + step + ": the loss diverged (lr " + String.format(Locale.ROOT, "%.2e", rate)
                + ")";
            break outer;
          }
          best = Math.min(best, smoothed);
          if (step >= f.steps()) {
            break outer;
          }
        }
      }
      if (!any) {
        throw new IllegalStateException("The training data set yielded no batch; the range test cannot run.");
      }
      epoch++;
    }
    run.describe("lrFindStopped", stopped);
    System.out.println("Range test stopped " + stopped + ".");
  }

  /** One forward and backward pass over a batch (split over the trainer's devices); returns the mean loss. */
  private static double trainStep(Trainer trainer, Batch batch) {
    double total = 0;
    int size = 0;
    try (GradientCollector collector = trainer.newGradientCollector()) {
      for (Batch part : batch.split(trainer.getDevices(), false)) {
        NDList predictions = trainer.forward(part.getData(), part.getLabels());
        NDArray loss = trainer.getLoss().evaluate(part.getLabels(), predictions);
        collector.backward(loss);
        total += loss.getFloat() * part.getSize();
        size += part.getSize();
      }
    }
    return size == 0 ? Double.NaN : total / size;
  }

  /** Writes the checkpoint after {@code epochsDone} epochs; {@code state.json} last, atomically. */
  static void checkpoint(Run run, Block block, OptimizerState optimizer, int epochsDone, long step)
      throws IOException {
    // The metric lines up to this point reach the file before the checkpoint claims them.
    run.flushMetrics();
    Path dir = Checkpoints.forEpoch(run.dir(), epochsDone);
    Files.createDirectories(dir);
    List<String> names = new ArrayList<>();
    NDList arrays = new NDList();
    for (Pair<String, Parameter> p : block.getParameters()) {
      names.add(p.getKey());
      arrays.add(p.getValue().getArray());
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(PARAMS)))) {
      arrays.encode(out);
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("epochsDone", epochsDone);
    state.put("step", step);
    state.put("seed", run.seed());
    state.put("parameters", PARAMS);
    state.put("parameterNames", names);
    Map<String, Object> optimizerState = optimizer.save(dir, block.getParameters(), run.resumedSteps());
    if (optimizerState != null) {
      state.put(OptimizerState.KEY, optimizerState);
    }
    Json.writeAtomically(dir.resolve(Checkpoints.STATE), state);
    prune(run.dir(), epochsDone);
  }

  private static void prune(Path runDir, int newest) throws IOException {
    Path root = Checkpoints.root(runDir);
    try (Stream<Path> dirs = Files.list(root)) {
      List<Path> old = dirs.filter(d -> d.getFileName().toString().matches("epoch-\\d+"))
          .filter(d -> Integer.parseInt(d.getFileName().toString().substring(6)) <= newest - KEEP_CHECKPOINTS)
          .toList();
      for (Path d : old) {
        try (Stream<Path> files = Files.walk(d)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
    }
  }

  /** Loads the last checkpoint into the block and the optimizer; returns the epoch to continue with. */
  static int restore(Run run, Trainer trainer, OptimizerState optimizer, ResearchListener listener)
      throws IOException {
    Optional<Path> latest = Checkpoints.latest(run.dir());
    if (latest.isEmpty()) {
      System.out.println("No checkpoint in " + Checkpoints.root(run.dir()) + ": starting from the first epoch.");
      return 0;
    }
    Path dir = latest.get();
    var state = Json.mapper().readTree(dir.resolve(Checkpoints.STATE).toFile());
    ParameterList parameters = trainer.getModel().getBlock().getParameters();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(PARAMS)))) {
      NDList saved = NDList.decode(trainer.getManager(), in);
      try (saved) {
        restoreInPlace(dir, parameters, saved);
      }
    }
    int epochsDone = state.path("epochsDone").asInt();
    long step = state.path("step").asLong();
    long uncounted = optimizer.restore(dir, state.path(OptimizerState.KEY), parameters, trainer.getManager(),
        trainer.getDevices());
    listener.resumeAt(epochsDone, step);
    // The schedule's step offset: the steps the optimizer's update counts do not include (all of
    // them when it starts fresh, none when its counts were saved by an uninterrupted run).
    run.resumedAfter(uncounted < 0 ? step : uncounted);
    System.out.println("Resumed from " + run.dir().relativize(dir) + ": " + epochsDone + " epochs done, step "
        + step + (uncounted < 0 ? "." : ", optimizer state restored."));
    return epochsDone;
  }

  /**
   * Copies saved values into the model's own parameter arrays. In place, because the trainer's
   * parameter store holds references to these very arrays; through a copy that the engine owns,
   * because the decoded arrays live in Java memory that is freed once they are closed.
   */
  private static void restoreInPlace(Path dir, ParameterList parameters, NDList saved) throws IOException {
    if (saved.size() != parameters.size()) {
      throw new IOException("checkpoint " + dir + " holds " + saved.size() + " parameters, the model has "
          + parameters.size() + ": it does not fit this model");
    }
    for (int i = 0; i < saved.size(); i++) {
      NDArray current = parameters.valueAt(i).getArray();
      if (!current.getShape().equals(saved.get(i).getShape())) {
        throw new IOException("checkpoint " + dir + ": parameter " + parameters.keyAt(i) + " has shape "
            + saved.get(i).getShape() + ", the model's is " + current.getShape());
      }
      boolean grad = current.hasGradient();
      current.intern(saved.get(i).duplicate());
      if (grad) {
        current.setRequiresGradient(true);
      }
    }
  }

  /**
   * Evaluates the trained model once on held-out test data and logs every evaluator as
   * {@code test_NAME} (for example {@code test_accuracy}, {@code test_loss}); returns the values.
   */
  public static Map<String, Double> test(Run run, Trainer trainer, Dataset test) throws IOException, TranslateException {
    if (run.launch().lrFind() != null) {
      // A range test leaves a model trained at every rate: not one to evaluate.
      return Map.of();
    }
    return evaluate(run, trainer, test, run.listener().step(), run.listener().epoch(), "test");
  }

  /** One pass of every evaluator over {@code test}, logged as {@code test_NAME} at {@code step} and {@code epoch}. */
  static Map<String, Double> evaluate(Run run, Trainer trainer, Dataset test, long step, int epoch, String label)
      throws IOException, TranslateException {
    String key = "research/test";
    for (Evaluator e : trainer.getEvaluators()) {
      e.addAccumulator(key);
    }
    for (Batch batch : trainer.iterateDataset(test)) {
      run.exitIfStopped();
      try (batch) {
        for (Batch part : batch.split(trainer.getDevices(), false)) {
          try (NDList predictions = trainer.evaluate(part.getData())) {
            for (Evaluator e : trainer.getEvaluators()) {
              e.updateAccumulator(key, part.getLabels(), predictions);
            }
          }
        }
      }
    }
    Map<String, Double> values = new LinkedHashMap<>();
    StringBuilder line = new StringBuilder(label);
    for (Evaluator e : trainer.getEvaluators()) {
      String name = "test_" + ResearchListener.name(trainer, e);
      double value = e.getAccumulator(key);
      e.resetAccumulator(key);
      run.log(name, value, step, epoch);
      values.put(name, value);
      line.append(String.format(Locale.ROOT, "  %s %.4f", name, value));
    }
    System.out.println(line);
    return values;
  }
}
