package io.github.researchcycle.runtime;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.ConfigBinding;
import java.util.List;
import java.util.Locale;

/**
 * The optimizers the runtime offers, built from the experiment config: {@code optimizer.name}
 * ({@code adam}, {@code adamw}, {@code sgd}), {@code optimizer.lr}, and optionally
 * {@code optimizer.momentum} (sgd), {@code optimizer.weightDecay} and a schedule
 * ({@code optimizer.schedule}: {@code constant}, {@code cosine} over the run, or {@code step}: times
 * {@code optimizer.decayFactor} every {@code optimizer.decayEvery} epochs). The rate goes through
 * {@link Run#learningRate}, so a launch profile's batch scaling and {@code research:lr-find} apply;
 * the state of each is checkpointed ({@link OptimizerState}), so a resumed run is exact.
 */
public final class Optimizers {
  /** The names {@code optimizer.name} takes. */
  public static final List<String> NAMES = ConfigBinding.CHOICES.get("optimizer.name");

  private Optimizers() {}

  /** The optimizer of {@code run}'s config, for {@code epochs} epochs of {@code stepsPerEpoch} steps. */
  public static Optimizer fromConfig(Run run, int experimentBatch, long stepsPerEpoch, int epochs) {
    Config c = run.config();
    Tracker lr = schedule(run, c, run.learningRate(c.getDouble("optimizer.lr"), experimentBatch, stepsPerEpoch),
        stepsPerEpoch, epochs);
    String name = c.getString("optimizer.name").toLowerCase(Locale.ROOT);
    switch (name) {
      case "adam":
        return decay(c, Optimizer.adam().optLearningRateTracker(lr)).build();
      case "adamw":
        return decay(c, Optimizer.adamW().optLearningRateTracker(lr)).build();
      case "sgd":
        var sgd = decay(c, Optimizer.sgd().setLearningRateTracker(lr));
        if (c.has("optimizer.momentum")) {
          sgd.optMomentum((float) c.getDouble("optimizer.momentum"));
        }
        return sgd.build();
      default:
        throw new ResearchException("experiment `" + run.experiment() + "`: `optimizer.name` is `" + name
            + "`, which the runtime does not offer. Fix: one of " + String.join(", ", NAMES)
            + " under experiments/ (or build your own optimizer in a custom loop).");
    }
  }

  /** Sets the weight decay when the experiment gives one (DJL's default, none, otherwise). */
  private static <B extends Optimizer.OptimizerBuilder<B>> B decay(Config c, B builder) {
    return c.has("optimizer.weightDecay") ? builder.optWeightDecays((float) c.getDouble("optimizer.weightDecay"))
        : builder;
  }

  /** The rate of {@code base} times the schedule's factor at the run's step. */
  static Tracker schedule(Run run, Config c, Tracker base, long stepsPerEpoch, int epochs) {
    String kind = c.has("optimizer.schedule") ? c.getString("optimizer.schedule").toLowerCase(Locale.ROOT)
        : "constant";
    if (run.launch().lrFind() != null || kind.equals("constant")) {
      return base;
    }
    long total = Math.max(1, stepsPerEpoch * epochs);
    switch (kind) {
      case "cosine":
        return update -> (float) (base.getNewValue(update)
            * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, (run.step(update) - 1) / (double) total))));
      case "step":
        int every = c.has("optimizer.decayEvery") ? c.getInt("optimizer.decayEvery") : 1;
        double factor = c.has("optimizer.decayFactor") ? c.getDouble("optimizer.decayFactor") : 0.1;
        if (every < 1 || !(factor > 0 && factor <= 1)) {
          throw new ResearchException("experiment `" + run.experiment() + "`: a step schedule needs "
              + "`optimizer.decayEvery` of at least 1 epoch and `optimizer.decayFactor` in (0, 1], found " + every
              + " and " + factor + ". Fix them under experiments/.");
        }
        return update -> {
          long epoch = (run.step(update) - 1) / Math.max(1, stepsPerEpoch);
          return (float) (base.getNewValue(update) * Math.pow(factor, epoch / every));
        };
      default:
        throw new ResearchException("experiment `" + run.experiment() + "`: `optimizer.schedule` is `" + kind
            + "`. Fix: constant, cosine or step under experiments/.");
    }
  }
}
