package io.github.researchcycle.runtime;

import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tests the model after every epoch ({@link Training#testEachEpoch}) and logs {@code test_NAME} at
 * that epoch: for learning curves on the test set, as papers draw them. Nothing may be chosen with
 * these values (no early stopping, no model selection); the run's environment.json says they were
 * taken, and the last epoch's values are the run's test result.
 */
final class EpochTester extends TrainingListenerAdapter {
  private final Run run;
  private final Dataset test;
  private final Map<String, Double> last = new LinkedHashMap<>();

  EpochTester(Run run, Dataset test) {
    this.run = run;
    this.test = test;
    run.describe("testedEachEpoch", true);
  }

  /** The test metrics after the last epoch. */
  Map<String, Double> last() {
    return Map.copyOf(last);
  }

  @Override
  public void onEpoch(Trainer trainer) {
    // After the runtime's listener, which has already counted the epoch as done.
    int epoch = run.listener().epoch() - 1;
    try {
      last.clear();
      last.putAll(Fit.evaluate(run, trainer, test, run.listener().step(), epoch, "test after epoch " + (epoch + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TranslateException e) {
      throw new IllegalStateException("the test set cannot be read: " + e.getMessage(), e);
    }
  }
}
