package io.github.researchcycle.samples.fashion;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.researchcycle.runtime.Config;
import io.github.researchcycle.runtime.Fit;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.data.DataSets;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training entry point, started by {@code mvn research:run} in a JVM of its own. It reads the
 * resolved experiment config from the run, trains on Fashion-MNIST for a fixed number of epochs,
 * tests on the 10,000 test images after every epoch, and leaves metrics and checkpoints in the run
 * folder through the runtime's listener.
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) throws Exception {
        try (Run run = Run.current()) {
            train(run);
        }
    }

    /** Trains the experiment of {@code run}; returns the metrics of the last epoch, test metrics included. */
    public static Map<String, Double> train(Run run) throws IOException, TranslateException {
        Config c = run.config();
        int batch = c.getInt("training.batch");
        Map<String, Double> results = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("fashion-mnist-mlp")) {
            DataSets.Loaded data = DataSets.idx(manager, run.dataDir(c.getString("data.name")),
                    c.getDouble("data.validation"), c.getLong("data.splitSeed"), run.sampler(batch, true), batch, run);
            RandomAccessDataset train = limit(data.train(), c.getInt("data.limit"));
            model.setBlock(Network.mlp(data.classes(), c.getInt("model.hidden"), c.getInt("model.layers")));
            TestEachEpoch test = new TestEachEpoch(run, data.test());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .addEvaluator(new Accuracy())
                    .optOptimizer(optimizer(c))
                    .addTrainingListeners(run.listener(), test);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, data.features()));
                Fit.fit(run, trainer, c.getInt("training.epochs"), train, data.validation());
                results.putAll(run.listener().lastEpoch());
                results.putAll(test.last());
            }
        }
        return results;
    }

    /** The first {@code limit} examples of the (already shuffled) training split; all of them for 0. */
    static RandomAccessDataset limit(RandomAccessDataset train, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("data.limit must be 0 (all) or a positive count, found " + limit
                    + ". Fix it under experiments/.");
        }
        return limit == 0 || limit >= train.size() ? train : train.subDataset(0, limit);
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
