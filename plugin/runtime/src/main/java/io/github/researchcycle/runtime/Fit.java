package io.github.researchcycle.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.translate.TranslateException;
import io.github.researchcycle.core.store.Checkpoints;
import io.github.researchcycle.core.store.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The training loop of a run: like DJL's {@code EasyTrain.fit}, plus a checkpoint after every
 * epoch and, when the run is resumed, a start from the last checkpoint.
 *
 * <p>A checkpoint holds the model's parameters (an NDList, {@code parameters.ndlist}), the number of finished epochs and the global step.
 * On resumption the parameters are loaded, counting continues, and each later epoch sees the data
 * order it would have seen (with {@link Run#sampler}). Not restored: the optimizer's internal state
 * (for example Adam's moment estimates, which DJL does not expose for saving), so a resumed run is
 * close to, but not bit-identical with, an uninterrupted one. The engine's random generator is
 * re-seeded from the seed and the epoch at the start of every epoch, so it is the same either way.
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
    ResearchListener listener = run.listener();
    int start = 0;
    if (run.resuming()) {
      start = restore(run, trainer, listener);
    }
    for (int epoch = start; epoch < epochs; epoch++) {
      if (order != null) {
        order.setEpoch(epoch);
      }
      // Re-seeded per epoch, so that a resumed epoch draws what an uninterrupted one would.
      ai.djl.engine.Engine.getInstance().setRandomSeed((int) (run.seed() * 1_000_003L + epoch));
      listener.startEpoch(epoch, epochs, batches);
      for (Batch batch : trainer.iterateDataset(train)) {
        try (batch) {
          EasyTrain.trainBatch(trainer, batch);
          trainer.step();
        }
      }
      if (validation != null) {
        for (Batch batch : trainer.iterateDataset(validation)) {
          try (batch) {
            EasyTrain.validateBatch(trainer, batch);
          }
        }
      }
      trainer.notifyListeners(l -> l.onEpoch(trainer));
      checkpoint(run, trainer.getModel().getBlock(), epoch + 1, listener.step());
    }
  }

  /** Writes the checkpoint after {@code epochsDone} epochs; {@code state.json} last, atomically. */
  static void checkpoint(Run run, Block block, int epochsDone, long step) throws IOException {
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

  /** Loads the last checkpoint into the block; returns the epoch to continue with. */
  static int restore(Run run, Trainer trainer, ResearchListener listener) throws IOException {
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
    listener.resumeAt(epochsDone, state.path("step").asLong());
    System.out.println("Resumed from " + run.dir().relativize(dir) + ": " + epochsDone + " epochs done, step "
        + state.path("step").asLong() + ".");
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
    String key = "research/test";
    for (Evaluator e : trainer.getEvaluators()) {
      e.addAccumulator(key);
    }
    for (Batch batch : trainer.iterateDataset(test)) {
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
    StringBuilder line = new StringBuilder("test");
    for (Evaluator e : trainer.getEvaluators()) {
      String name = "test_" + ResearchListener.name(trainer, e);
      double value = e.getAccumulator(key);
      e.resetAccumulator(key);
      run.log(name, value);
      values.put(name, value);
      line.append(String.format(java.util.Locale.ROOT, "  %s %.4f", name, value));
    }
    System.out.println(line);
    return values;
  }
}
