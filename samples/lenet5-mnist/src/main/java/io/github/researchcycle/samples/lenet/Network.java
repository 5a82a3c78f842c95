package io.github.researchcycle.samples.lenet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/** The models: the paper's linear classifier and LeNet-5. */
public final class Network {
    private Network() {}

    /** One linear layer from the flattened pixels to one score per class. */
    public static Block linear(int classes) {
        return new SequentialBlock().add(Linear.builder().setUnits(classes).build());
    }

    /**
     * LeNet-5 as in Fig. 2 of the paper, on 784 flattened pixels of a 28x28 image:
     *
     * <ol>
     *   <li>the image is padded to 32x32 with the background's value ({@code background}: what a
     *       blank pixel becomes after normalisation), as the paper centres the 28x28 digit in a
     *       32x32 field;
     *   <li>C1: 6 feature maps, 5x5 convolution (32 → 28), ReLU; S2: 2x2 max pooling (→ 14);
     *   <li>C3: 16 maps, 5x5 convolution (→ 10), ReLU, every map connected to all six of S2; S4: 2x2
     *       max pooling (→ 5);
     *   <li>C5: 120 units, a 5x5 convolution over the 5x5 maps, that is a full connection (here a
     *       linear layer on the flattened 16x5x5 maps), ReLU;
     *   <li>F6: 84 units, ReLU; output: one score per class, trained with softmax cross-entropy.
     * </ol>
     *
     * <p>Where it differs from the paper (tanh-like squashing, trainable sub-sampling, the partial
     * S2-C3 connection table, Euclidean RBF output units) is listed in writeup/proposal.md.
     */
    public static Block lenet5(int classes, float background) {
        return new SequentialBlock()
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, 1, 28, 28)
                        .pad(new Shape(2, 2, 2, 2), background)), "pad-to-32"))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(84).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build());
    }
}
