package io.github.researchcycle.samples.lenet;

import ai.djl.nn.Block;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.data.DataSets;
import java.util.Map;

/**
 * The training entry point, started by {@code mvn research:run} in a JVM of its own: the model of
 * the experiment ({@code model.kind}), softmax cross-entropy, accuracy and the paper's error rate,
 * and a test after every epoch for the learning curves of the writeup (nothing is chosen with
 * them: the claim takes the last epoch's value). The rest comes from the runtime.
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
        DataSets.Loaded data = run.data(); // data/mnist.yaml
        return run.training(model(h.model().kind(), data), Loss.softmaxCrossEntropyLoss())
                .evaluators(new Accuracy(), new ErrorRate())
                .testEachEpoch()
                .fit();
    }

    /** The block named by {@code model.kind}. */
    static Block model(String kind, DataSets.Loaded data) {
        switch (kind) {
            case "linear":
                return Network.linear(data.classes());
            case "lenet5":
                // A blank pixel (0) after the normalisation that the loader applied to every pixel.
                float background = -data.normalisation().mean()[0] / data.normalisation().std()[0];
                return Network.lenet5(data.classes(), background);
            default:
                throw new ResearchException("`model.kind` must be linear or lenet5, found `" + kind
                        + "`. Fix it under experiments/.");
        }
    }
}
