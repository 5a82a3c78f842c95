package io.github.researchcycle.runtime;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** The training JVM of the resume tests: a run of its own process, killed mid-step when asked. */
final class ResumeMains {
  private ResumeMains() {}

  /**
   * Trains the blobs of {@link FitTest} with Adam at a decaying rate for the run's
   * {@code training.epochs}; with {@code args[0]} above 0, the process halts (as on SIGKILL: no
   * hook runs, nothing more is flushed) inside the optimizer update of that step.
   */
  static final class AdamTraining {
    public static void main(String[] args) throws Exception {
      long haltAt = Long.parseLong(args[0]);
      try (Run run = Run.current()) {
        FitTest.train(run, r -> update -> {
          int step = r.step(update);
          if (step == haltAt) {
            Runtime.getRuntime().halt(137);
          }
          return (float) (0.02 * Math.pow(0.99, step - 1));
        }, (Tracker lr) -> Optimizer.adam().optLearningRateTracker(lr).build());
      }
      System.out.println("trained to the end");
    }
  }
}
