package ${package};

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
#if( $dataset == 'synthetic' )
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.SequenceSampler;
#end
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.researchcycle.runtime.Config;
import io.github.researchcycle.runtime.Fit;
import io.github.researchcycle.runtime.Run;
#if( $dataset == 'csv' )
import io.github.researchcycle.runtime.data.Csv;
#end
#if( $dataset != 'synthetic' )
import io.github.researchcycle.runtime.data.DataSets;
#end
import java.io.IOException;
import java.util.LinkedHashMap;
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

    /** Trains the experiment of {@code run}; returns the metrics of the last epoch (and of the test set). */
    public static Map<String, Double> train(Run run) throws IOException, TranslateException {
        Config c = run.config();
        // The experiment's batch is the one its learning rate was chosen for; a launch profile may
        // train with a larger one on several devices (launch/*.yaml: batch, learningRate).
        int experimentBatch = c.getInt("training.batch");
        int batch = run.batchSize(experimentBatch);
        Map<String, Double> results = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("mlp")) {
#if( $dataset == 'synthetic' )
            int classes = c.getInt("data.classes");
            int features = 2;
            SyntheticData data = SyntheticData.spirals(
                    c.getInt("data.samples"), classes, c.getDouble("data.noise"), run.seed());
            ArrayDataset[] split = data.split(manager, c.getDouble("data.validation"), run.seed(),
                    run.sampler(batch, true), new BatchSampler(new SequenceSampler(), batch));
            ArrayDataset train = split[0];
            ArrayDataset validation = split[1];
            ArrayDataset test = null;
#else
            DataSets.Loaded data = load(run, manager, c, batch);
            int classes = data.classes();
            int features = data.features();
            var train = data.train();
            var validation = data.validation();
            var test = data.test();
#end
            model.setBlock(Network.mlp(classes, c.getInt("model.hidden"), c.getInt("model.layers")));
            long stepsPerEpoch = run.sampler(batch, true).batches(train.size());
            Tracker lr = run.learningRate(c.getDouble("optimizer.lr"), experimentBatch, stepsPerEpoch);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .addEvaluator(new Accuracy())
                    .optOptimizer(optimizer(c, lr))
                    .optDevices(run.devices())
                    .addTrainingListeners(run.listener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, features));
                Fit.fit(run, trainer, c.getInt("training.epochs"), train, validation);
                results.putAll(run.listener().lastEpoch());
                if (test != null) {
                    results.putAll(Fit.test(run, trainer, test));
                }
            }
        }
        return results;
    }
#if( $dataset != 'synthetic' )

    /** The data set named by {@code data.name}, from the folder research:run checked and passed in. */
    static DataSets.Loaded load(Run run, NDManager manager, Config c, int batch) throws IOException {
        String name = c.getString("data.name");
#if( $dataset == 'csv' )
        Csv.Options options = Csv.Options.defaults().header(Csv.Header.NONE).label("-1").categorical(true);
        return DataSets.csv(manager, run.dataDir(name).resolve(c.getString("data.file")), options, null,
                c.getDouble("data.validation"), c.getLong("data.splitSeed"), run.sampler(batch, true), batch, run);
#else
        return DataSets.idx(manager, run.dataDir(name), c.getDouble("data.validation"), c.getLong("data.splitSeed"),
                run.sampler(batch, true), batch, run);
#end
    }
#end

    /** The optimizer named by {@code optimizer.name}, with the run's learning-rate schedule. */
    private static Optimizer optimizer(Config c, Tracker lr) {
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
