package io.github.researchcycle.samples.fashion;

import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.data.DataSets;
import java.util.Map;

/**
 * The training entry point, started by {@code mvn research:run} in a JVM of its own: the network of
 * the experiment, softmax cross-entropy, accuracy, and a test after every epoch for the learning
 * curves of the writeup (nothing is chosen with them: the claim takes the last epoch's value, as
 * the paper trains for a fixed budget and tests once). The rest comes from the runtime.
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) throws Exception {
        try (Run run = Run.current()) {
            train(run);
        }
    }

    /** Trains the experiment of {@code run}; returns the last epoch's metrics, test metrics included. */
    public static Map<String, Double> train(Run run) throws Exception {
        Hyper h = run.config(Hyper.class);
        DataSets.Loaded data = run.data(); // data/fashion-mnist.yaml
        return run.training(Network.mlp(data.classes(), h.model().hidden(), h.model().layers()),
                        Loss.softmaxCrossEntropyLoss())
                .evaluators(new Accuracy())
                .testEachEpoch()
                .fit();
    }
}
