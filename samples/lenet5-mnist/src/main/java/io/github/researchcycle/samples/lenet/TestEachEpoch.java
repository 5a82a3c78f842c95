package io.github.researchcycle.samples.lenet;

import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.translate.TranslateException;
import io.github.researchcycle.runtime.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates the model on the test set after every epoch and logs {@code test_accuracy},
 * {@code test_error} (1 - accuracy, the paper's measure) and {@code test_loss} for that epoch. The values only draw the learning curves: nothing is chosen
 * with them (no early stopping, no model selection), and the claim uses the last epoch's value,
 * as the paper's protocol trains for a fixed budget and then tests once.
 */
final class TestEachEpoch extends TrainingListenerAdapter {
    private static final String KEY = "sample/test";

    private final Run run;
    private final Dataset test;
    private final Map<String, Double> last = new LinkedHashMap<>();

    TestEachEpoch(Run run, Dataset test) {
        this.run = run;
        this.test = test;
    }

    /** The test metrics after the last epoch. */
    Map<String, Double> last() {
        return Map.copyOf(last);
    }

    @Override
    public void onEpoch(Trainer trainer) {
        // Called after the runtime's listener, which has already counted the epoch as done.
        int epoch = run.listener().epoch() - 1;
        long step = run.listener().step();
        try {
            for (Evaluator e : trainer.getEvaluators()) {
                e.addAccumulator(KEY);
            }
            for (Batch batch : trainer.iterateDataset(test)) {
                try (batch) {
                    try (NDList predictions = trainer.evaluate(batch.getData())) {
                        for (Evaluator e : trainer.getEvaluators()) {
                            e.updateAccumulator(KEY, batch.getLabels(), predictions);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TranslateException e) {
            throw new IllegalStateException("the test set cannot be read: " + e.getMessage(), e);
        }
        StringBuilder line = new StringBuilder("test after epoch ").append(epoch + 1);
        last.clear();
        for (Evaluator e : trainer.getEvaluators()) {
            String name = "test_" + (e == trainer.getLoss() ? "loss" : e.getName().toLowerCase(Locale.ROOT));
            double value = e.getAccumulator(KEY);
            e.resetAccumulator(KEY);
            run.log(name, value, step, epoch);
            last.put(name, value);
            line.append(String.format(Locale.ROOT, "  %s %.4f", name, value));
        }
        double error = 1 - last.get("test_accuracy");
        run.log("test_error", error, step, epoch);
        last.put("test_error", error);
        line.append(String.format(Locale.ROOT, "  test_error %.4f", error));
        System.out.println(line);
    }
}
