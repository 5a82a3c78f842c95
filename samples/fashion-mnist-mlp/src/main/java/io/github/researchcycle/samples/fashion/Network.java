package io.github.researchcycle.samples.fashion;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** The models: a multilayer perceptron with ReLU activations, or with no hidden layer a linear classifier. */
public final class Network {
    private Network() {}

    /** {@code layers} hidden layers of {@code hidden} units, then one output per class. */
    public static Block mlp(int classes, int hidden, int layers) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < layers; i++) {
            block.add(Linear.builder().setUnits(hidden).build());
            block.add(Activation::relu);
        }
        block.add(Linear.builder().setUnits(classes).build());
        return block;
    }
}
