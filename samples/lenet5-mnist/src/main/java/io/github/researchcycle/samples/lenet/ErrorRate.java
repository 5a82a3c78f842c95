package io.github.researchcycle.samples.lenet;

import ai.djl.training.evaluator.Accuracy;

/** The paper's measure: the share of images classified wrongly, {@code 1 - accuracy}, logged as {@code *_error}. */
public final class ErrorRate extends Accuracy {
    /** An error rate over the class axis. */
    public ErrorRate() {
        super("error", 1);
    }

    @Override
    public float getAccumulator(String key) {
        return 1 - super.getAccumulator(key);
    }
}
