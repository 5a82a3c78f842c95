package io.github.researchcycle.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import ai.djl.training.listener.TrainingListener;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A DJL training listener that writes the run's metrics: the loss of every step ({@code loss}),
 * and per epoch every evaluator on the training and validation data ({@code train_loss},
 * {@code train_accuracy}, {@code validate_loss}, {@code validate_accuracy}, ...). It also drives
 * the progress display.
 */
public final class ResearchListener implements TrainingListener {
  private static final String TRAIN = "research/train";
  private static final String VALIDATE = "research/validate";

  private Loss plainLossOf;
  private boolean plainLoss;
  private final Run run;
  private final Progress progress;
  private long step;
  private int epoch;
  private int epochs = -1;
  private boolean validated;
  private boolean accumulatorsAdded;
  private final Map<String, Double> lastEpoch = new LinkedHashMap<>();
  private Map<Device, NDArray> computed;
  private float trainLossSum;
  private long trainLossCount;
  private Map<Evaluator, AccuracyTally> tallies;

  ResearchListener(Run run, Progress progress) {
    this.run = run;
    this.progress = progress;
  }

  /** The global step: batches trained so far, over all epochs. */
  public long step() {
    return step;
  }

  /** The current epoch (0-based). */
  public int epoch() {
    return epoch;
  }

  /** The per-epoch metrics of the last finished epoch. */
  public Map<String, Double> lastEpoch() {
    return Map.copyOf(lastEpoch);
  }

  /** Continues counting from a checkpoint. */
  void resumeAt(int epochsDone, long steps) {
    this.epoch = epochsDone;
    this.step = steps;
  }

  /** Announces an epoch to the progress display. */
  void startEpoch(int epoch, int epochs, long batches) {
    this.epoch = epoch;
    this.epochs = epochs;
    progress.startEpoch(epoch, epochs, batches);
  }

  @Override
  public void onTrainingBegin(Trainer trainer) {
    addAccumulators(trainer);
  }

  private void addAccumulators(Trainer trainer) {
    if (!accumulatorsAdded) {
      for (Evaluator e : trainer.getEvaluators()) {
        e.addAccumulator(TRAIN);
        e.addAccumulator(VALIDATE);
      }
      accumulatorsAdded = true;
    }
  }

  /**
   * The losses the training step computed for the batch it is about to report, by device: the
   * next {@link #onTrainingBatch} reads them instead of evaluating the loss again.
   */
  void computedLosses(Map<Device, NDArray> losses) {
    this.computed = losses;
  }

  @Override
  public void onTrainingBatch(Trainer trainer, BatchData batchData) {
    addAccumulators(trainer);
    Map<Device, NDArray> given = computed;
    computed = null;
    Loss lossFunction = trainer.getLoss();
    boolean ownLoss = plainLoss(lossFunction);
    double loss = 0;
    int devices = 0;
    for (Device device : batchData.getLabels().keySet()) {
      NDList labels = batchData.getLabels().get(device);
      NDList predictions = batchData.getPredictions().get(device);
      for (Evaluator e : trainer.getEvaluators()) {
        AccuracyTally tally = tallies(trainer).get(e);
        if (tally != null) {
          tally.add(labels, predictions, batchData.getBatch() == null ? null : batchData.getBatch().getManager());
        } else if (!(ownLoss && e == lossFunction)) {
          e.updateAccumulator(TRAIN, labels, predictions);
        }
      }
      NDArray value = given == null ? null : given.get(device);
      float f;
      if (value != null) {
        f = value.getFloat();
      } else {
        try (NDArray evaluated = lossFunction.evaluate(labels, predictions)) {
          f = evaluated.getFloat();
        }
      }
      if (ownLoss) {
        // As Loss.updateAccumulators adds it: a float sum of the batches' losses.
        trainLossSum += f;
        trainLossCount++;
      }
      loss += f;
      devices++;
    }
    loss = devices == 0 ? Double.NaN : loss / devices;
    step++;
    run.log("loss", loss, step, epoch);
    progress.step(loss);
  }

  /**
   * Whether the loss accumulates as DJL's {@link Loss} does (the mean of the batches' summed
   * losses): then the listener keeps that sum itself from the loss the step computed, instead of
   * letting the loss evaluate the batch a second time.
   */
  /** {@link #accumulatesPlainly} of the trainer's loss, worked out once (it is reflection). */
  private boolean plainLoss(Loss loss) {
    if (plainLossOf != loss) {
      plainLossOf = loss;
      plainLoss = accumulatesPlainly(loss);
    }
    return plainLoss;
  }

  static boolean accumulatesPlainly(Loss loss) {
    try {
      return loss.getClass().getMethod("updateAccumulators", String[].class, NDList.class, NDList.class)
          .getDeclaringClass() == Loss.class
          && loss.getClass().getMethod("getAccumulator", String.class).getDeclaringClass() == Loss.class
          && loss.getClass().getMethod("resetAccumulator", String.class).getDeclaringClass() == Loss.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Override
  public void onValidationBatch(Trainer trainer, BatchData batchData) {
    addAccumulators(trainer);
    for (Device device : batchData.getLabels().keySet()) {
      for (Evaluator e : trainer.getEvaluators()) {
        e.updateAccumulator(VALIDATE, batchData.getLabels().get(device), batchData.getPredictions().get(device));
      }
    }
    validated = true;
  }

  @Override
  public void onEpoch(Trainer trainer) {
    lastEpoch.clear();
    StringBuilder summary = new StringBuilder("epoch ").append(epoch + 1);
    if (epochs > 0) {
      summary.append('/').append(epochs);
    }
    for (String stage : validated ? new String[] {"train", "validate"} : new String[] {"train"}) {
      String key = stage.equals("train") ? TRAIN : VALIDATE;
      for (Evaluator e : trainer.getEvaluators()) {
        String name = stage + "_" + name(trainer, e);
        AccuracyTally tally = tallies(trainer).get(e);
        double value = !key.equals(TRAIN) ? e.getAccumulator(key)
            : tally != null ? tally.value()
            : e == trainer.getLoss() && accumulatesPlainly(trainer.getLoss()) ? trainLoss()
            : e.getAccumulator(key);
        run.log(name, value, step, epoch);
        lastEpoch.put(name, value);
        summary.append(String.format(Locale.ROOT, "  %s %.4f", name, value));
      }
    }
    for (Evaluator e : trainer.getEvaluators()) {
      e.resetAccumulator(TRAIN);
      e.resetAccumulator(VALIDATE);
    }
    trainLossSum = 0;
    trainLossCount = 0;
    tallies(trainer).values().forEach(AccuracyTally::reset);
    validated = false;
    progress.endEpoch(summary.toString());
    epoch++;
  }

  /** The bulk counts of the trainer's plain Accuracy evaluators, by evaluator (made at the first use). */
  private Map<Evaluator, AccuracyTally> tallies(Trainer trainer) {
    if (tallies == null) {
      tallies = new IdentityHashMap<>();
      for (Evaluator e : trainer.getEvaluators()) {
        AccuracyTally tally = AccuracyTally.forEvaluator(e, trainer.getManager());
        if (tally != null) {
          tallies.put(e, tally);
        }
      }
    }
    return tallies;
  }

  /** The training loss of the epoch so far, as {@link Loss#getAccumulator} computes it (NaN before any batch). */
  private float trainLoss() {
    return trainLossCount == 0 ? Float.NaN : trainLossSum / trainLossCount;
  }

  @Override
  public void onTrainingEnd(Trainer trainer) {
    if (tallies != null) {
      tallies.values().forEach(AccuracyTally::close);
      tallies = null;
    }
    progress.close();
  }

  /** "loss" for the loss, else the evaluator's name in lower case ("accuracy"). */
  static String name(Trainer trainer, Evaluator e) {
    if (e == trainer.getLoss()) {
      return "loss";
    }
    return e.getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }
}
