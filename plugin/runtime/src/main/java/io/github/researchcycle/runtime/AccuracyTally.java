package io.github.researchcycle.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.evaluator.AbstractAccuracy;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.Evaluator;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DJL's {@link Accuracy} over the training batches of an epoch, counted in bulk: per batch only
 * the predicted classes are made (one engine call) and kept with the labels; every
 * {@link #EVERY} batches, and when the value is asked for, they are compared and counted at once.
 * The value is DJL's own ({@code (float) correct / (float) total}), at a fraction of the calls
 * and without reading the engine's memory every batch.
 */
final class AccuracyTally implements AutoCloseable {
  /** Batches kept before they are counted (bounds the memory held: predicted classes and labels). */
  static final int EVERY = 256;

  private final NDManager parent;
  private NDManager kept;
  private final List<NDArray> predicted = new ArrayList<>();
  private final List<NDArray> labels = new ArrayList<>();
  private long correct;
  private long total;

  private AccuracyTally(NDManager parent) {
    this.parent = parent;
    this.kept = parent.newSubManager();
  }

  /**
   * A tally for {@code e} when it is DJL's plain {@link Accuracy} over the class axis 1 (the one
   * {@code new Accuracy()} makes), else null: other evaluators update their own accumulators.
   */
  static AccuracyTally forEvaluator(Evaluator e, NDManager manager) {
    if (e.getClass() != Accuracy.class) {
      return null;
    }
    try {
      Field axis = AbstractAccuracy.class.getDeclaredField("axis");
      axis.setAccessible(true);
      return axis.getInt(e) == 1 ? new AccuracyTally(manager) : null;
    } catch (ReflectiveOperationException | RuntimeException ex) {
      return null;
    }
  }

  /**
   * Adds a batch: labels {@code [n]} against predictions {@code [n, classes]}. Labels that belong
   * to {@code batchManager} (closed after the step, so nobody else holds them) are taken over
   * as they are; others are copied.
   */
  void add(NDList labelList, NDList predictionList, NDManager batchManager) {
    NDArray label = labelList.head();
    NDArray prediction = predictionList.head();
    if (label.getShape().dimension() != 1 || prediction.getShape().dimension() != 2
        || prediction.getShape().get(0) != label.size()) {
      // Any other shapes: counted at once, as Accuracy.accuracyHelper does.
      try (NDManager scratch = parent.newSubManager()) {
        boolean asIs = label.getShape().equals(prediction.getShape());
        NDArray reduced = asIs ? prediction : prediction.argMax(1).reshape(label.getShape());
        if (!asIs) {
          reduced.attach(scratch); // the trainer's own prediction stays with the batch
        }
        NDArray hits = label.toType(DataType.INT64, true).eq(reduced.toType(DataType.INT64, false));
        hits.attach(scratch);
        NDArray count = hits.countNonzero();
        count.attach(scratch);
        correct += count.getLong();
        total += label.size();
      }
      return;
    }
    // Counted before this batch is added: the arrays of this batch stay open for the evaluators and
    // listeners after this one, in this step.
    if (predicted.size() >= EVERY) {
      count();
    }
    // Both outlive the batch (closed after the step) until they are counted.
    NDArray classes = prediction.argMax(1);
    classes.attach(kept);
    NDArray wanted = label.getManager() == batchManager ? label : label.duplicate();
    wanted.attach(kept);
    predicted.add(classes);
    labels.add(wanted);
    total += label.size();
  }

  /** The accuracy of the batches added since the last reset, as DJL computes it (NaN before any). */
  float value() {
    count();
    return total == 0 ? Float.NaN : (float) correct / (float) total;
  }

  /** Starts over (a new epoch). */
  void reset() {
    count();
    correct = 0;
    total = 0;
  }

  private void count() {
    if (predicted.isEmpty()) {
      return;
    }
    try (NDManager scratch = kept) {
      // By device: with several GPUs each keeps its own part of every batch.
      Map<Device, List<Integer>> byDevice = new LinkedHashMap<>();
      for (int i = 0; i < predicted.size(); i++) {
        byDevice.computeIfAbsent(predicted.get(i).getDevice(), d -> new ArrayList<>()).add(i);
      }
      for (List<Integer> part : byDevice.values()) {
        NDList p = new NDList();
        NDList l = new NDList();
        for (int i : part) {
          p.add(predicted.get(i));
          l.add(labels.get(i));
        }
        NDArray classes = p.size() == 1 ? p.head() : NDArrays.concat(p);
        NDArray wanted = l.size() == 1 ? l.head() : NDArrays.concat(l);
        classes.attach(scratch);
        wanted.attach(scratch);
        NDArray hits = wanted.toType(DataType.INT64, true).eq(classes);
        hits.attach(scratch);
        NDArray count = hits.countNonzero();
        count.attach(scratch);
        correct += count.getLong();
      }
    } finally {
      predicted.clear();
      labels.clear();
      kept = parent.newSubManager();
    }
  }

  /** Releases what is kept. */
  @Override
  public void close() {
    predicted.clear();
    labels.clear();
    kept.close();
  }

}
