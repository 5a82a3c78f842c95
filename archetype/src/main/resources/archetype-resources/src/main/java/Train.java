package ${package};

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.SequenceSampler;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.researchcycle.runtime.Config;
import io.github.researchcycle.runtime.Fit;
import io.github.researchcycle.runtime.Run;
import java.io.IOException;
import java.util.Map;

/**
 * The training entry point, started by {@code mvn research:run} in a JVM of its own. It reads the
 * resolved experiment config from the run, trains, and leaves metrics and checkpoints in the run
 * folder through the runtime's listener.
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) throws Exception {
        try (Run run = Run.current()) {
            train(run);
        }
    }

    /** Trains the experiment of {@code run}; returns the metrics of the last epoch. */
    public static Map<String, Double> train(Run run) throws IOException, TranslateException {
        Config c = run.config();
        int batch = c.getInt("training.batch");
        int classes = c.getInt("data.classes");
        SyntheticData data = SyntheticData.spirals(
                c.getInt("data.samples"), classes, c.getDouble("data.noise"), run.seed());
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("mlp")) {
            ArrayDataset[] split = data.split(manager, c.getDouble("data.validation"), run.seed(),
                    run.sampler(batch, true), new BatchSampler(new SequenceSampler(), batch));
            model.setBlock(Network.mlp(classes, c.getInt("model.hidden"), c.getInt("model.layers")));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .addEvaluator(new Accuracy())
                    .optOptimizer(optimizer(c))
                    .addTrainingListeners(run.listener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 2));
                Fit.fit(run, trainer, c.getInt("training.epochs"), split[0], split[1]);
            }
        }
        return run.listener().lastEpoch();
    }

    private static Optimizer optimizer(Config c) {
        Tracker lr = Tracker.fixed((float) c.getDouble("optimizer.lr"));
        String name = c.getString("optimizer.name");
        switch (name) {
            case "adam":
                return Optimizer.adam().optLearningRateTracker(lr).build();
            case "sgd":
                return Optimizer.sgd().setLearningRateTracker(lr).build();
            default:
                throw new IllegalArgumentException("optimizer.name must be adam or sgd, found `" + name
                        + "`. Fix it under experiments/.");
        }
    }
}
